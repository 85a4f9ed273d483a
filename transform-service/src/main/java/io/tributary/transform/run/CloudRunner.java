package io.tributary.transform.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.Guard;
import io.tributary.events.EventJson;
import io.tributary.transform.config.TransformConfig;
import io.tributary.transform.dbt.RunResults;
import io.tributary.transform.definition.TransformDefinition;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Runs a transform as a dbt Cloud job through the dbt Cloud Administrative API v2: {@code POST
 * /api/v2/accounts/{account}/jobs/{job}/run/} with a {@code cause}, then {@code GET
 * .../runs/{run}/} every {@code cloud.poll-interval} until the status is final (10 success, 20
 * error, 30 cancelled), then {@code run_results.json} from {@code .../runs/{run}/artifacts/}. The
 * service token is sent as {@code Authorization: Token ...} and never logged.
 *
 * <p>Fault tolerance (SmallRye Fault Tolerance, as for Airbyte): every call is bounded by {@code
 * cloud.read-timeout}; a call dbt Cloud did not answer, or answered 5xx or 429, is retried with
 * exponential backoff and jitter (at least {@code Retry-After} when dbt Cloud gives one) within
 * {@code cloud.retry.max-duration}. The trigger is retried only when dbt Cloud certainly did not
 * act on it (429, 503, no connection): another try after a lost answer could start the job twice.
 * The run as a whole ends by the transform's timeout. Whenever Tributary gives up on a dbt Cloud
 * run (timeout, cancel, an error it cannot poll past, shutdown) it cancels it: {@code POST
 * .../runs/{run}/cancel/}.
 */
@ApplicationScoped
public class CloudRunner implements TransformRunner {
    private static final Logger LOG = Logger.getLogger(CloudRunner.class);
    private static final int SUCCESS = 10;
    private static final int ERROR = 20;
    private static final int CANCELLED = 30;

    @Inject TransformConfig config;

    private HttpClient http;
    private Guard retrying;

    /** A call that failed; {@code retryable} when another try is safe and may succeed. */
    static final class CallFailed extends RuntimeException {
        final boolean retryable;
        final Duration retryAfter;

        CallFailed(String message, boolean retryable, Duration retryAfter) {
            super(message, null, false, false);
            this.retryable = retryable;
            this.retryAfter = retryAfter;
        }
    }

    @PostConstruct
    void init() {
        TransformConfig.Cloud cloud = config.cloud();
        http = HttpClient.newBuilder().connectTimeout(cloud.connectTimeout()).build();
        TransformConfig.Retry retry = cloud.retry();
        retrying =
                Guard.create()
                        .withDescription("dbt-cloud")
                        .withRetry()
                        .maxRetries(retry.maxRetries())
                        .delay(retry.initialDelay().toMillis(), ChronoUnit.MILLIS)
                        .maxDuration(retry.maxDuration().toMillis(), ChronoUnit.MILLIS)
                        .whenException(e -> e instanceof CallFailed f && f.retryable)
                        .beforeRetry(e -> LOG.infof("%s; trying again", e.getMessage()))
                        .withCustomBackoff()
                        .strategy(() -> new Backoff(retry))
                        .done()
                        .done()
                        .build();
    }

    @Override
    public RunOutcome run(
            TransformDefinition d, RunEntity run, Duration timeout, RunExecution execution) {
        if (config.cloud().token().filter(t -> !t.isBlank()).isEmpty()) {
            return RunOutcome.failed("tributary.transform.cloud.token is not set");
        }
        String account = base() + "/api/v2/accounts/" + d.cloud().accountId();
        long deadline = System.nanoTime() + timeout.toNanos();
        CountDownLatch stopped = new CountDownLatch(1);
        execution.onStop(stopped::countDown);
        BooleanSupplier givingUp =
                () -> execution.isCancelled() || execution.isAbandoned() || passed(deadline);
        long cloudRun;
        try {
            String cause = "Tributary transform " + d.name() + " run " + run.runId;
            JsonNode started =
                    call(
                            new Call(
                                    account + "/jobs/" + d.cloud().jobId() + "/run/",
                                    Map.of(
                                            "cause",
                                            cause.length() > 255 ? cause.substring(0, 255) : cause),
                                    false,
                                    deadline,
                                    givingUp));
            cloudRun = started.path("data").path("id").asLong();
            if (cloudRun <= 0) {
                return RunOutcome.failed("dbt Cloud answered no run id");
            }
        } catch (CallFailed e) {
            if (execution.isCancelled()) {
                return RunOutcome.cancelled(execution.cancelReason(), null);
            }
            return RunOutcome.failed(
                    (passed(deadline) ? "timed out after " + timeout + ": " : "")
                            + "dbt Cloud job could not be triggered: "
                            + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RunOutcome.failed("interrupted");
        }
        String runUrl = account + "/runs/" + cloudRun + "/";
        execution.log("dbt Cloud run " + cloudRun + " triggered");
        LOG.infof("run %s of %s: dbt Cloud run %d", run.runId, d.name(), cloudRun);
        try {
            while (true) {
                if (execution.isCancelled() || execution.isAbandoned()) {
                    String failed = cancel(runUrl, cloudRun, execution);
                    String reason =
                            execution.isCancelled() ? execution.cancelReason() : "abandoned";
                    return RunOutcome.cancelled(
                            failed == null ? reason : reason + " (" + failed + ")", null);
                }
                if (passed(deadline)) {
                    String failed = cancel(runUrl, cloudRun, execution);
                    return RunOutcome.failed(
                            "timed out after "
                                    + timeout
                                    + ": "
                                    + (failed == null
                                            ? "dbt Cloud run " + cloudRun + " was cancelled"
                                            : failed));
                }
                JsonNode data;
                try {
                    data = call(new Call(runUrl, null, true, deadline, givingUp)).path("data");
                } catch (CallFailed e) {
                    if (givingUp.getAsBoolean()) {
                        continue; // cancelled or timed out while polling: handled above
                    }
                    if (e.retryable) {
                        // dbt Cloud is unreachable for longer than the retries last: the job may
                        // well be running; keep looking until the run's timeout.
                        execution.log("dbt Cloud run " + cloudRun + ": " + e.getMessage());
                        LOG.warnf(
                                "run %s: dbt Cloud run %d: %s",
                                run.runId, cloudRun, e.getMessage());
                        stopped.await(pollDelay(deadline), TimeUnit.MILLISECONDS);
                        continue;
                    }
                    String failed = cancel(runUrl, cloudRun, execution);
                    return RunOutcome.failed(
                            "dbt Cloud run "
                                    + cloudRun
                                    + ": "
                                    + e.getMessage()
                                    + (failed == null ? "; it was cancelled" : "; " + failed));
                }
                int status = data.path("status").asInt();
                execution.log(
                        "dbt Cloud run "
                                + cloudRun
                                + ": "
                                + data.path("status_humanized").asText(""));
                if (status == SUCCESS || status == ERROR || status == CANCELLED) {
                    return finished(runUrl, cloudRun, status, data);
                }
                stopped.await(pollDelay(deadline), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            cancel(runUrl, cloudRun, execution);
            Thread.currentThread().interrupt();
            return RunOutcome.failed("interrupted");
        }
    }

    private RunOutcome finished(String runUrl, long cloudRun, int status, JsonNode data)
            throws InterruptedException {
        Optional<RunResults> results = Optional.empty();
        try {
            results =
                    Optional.of(
                            RunResults.parse(
                                    call(
                                            new Call(
                                                    runUrl + "artifacts/run_results.json",
                                                    null,
                                                    true,
                                                    System.nanoTime()
                                                            + config.cloud()
                                                                    .retry()
                                                                    .maxDuration()
                                                                    .toNanos(),
                                                    () -> false))));
        } catch (CallFailed e) {
            LOG.debugf("no run_results.json for dbt Cloud run %d: %s", cloudRun, e.getMessage());
        }
        var nodes = results.map(RunResults::nodes).orElse(List.of());
        var summary = results.map(RunResults::summary).orElse(null);
        var failures = results.map(RunResults::failures).orElse(List.of());
        String message = data.path("status_message").asText(null);
        if (status == SUCCESS) {
            return new RunOutcome(RunStatus.SUCCEEDED, 0, summary, failures, nodes, null);
        }
        if (status == CANCELLED) {
            return new RunOutcome(
                    RunStatus.CANCELLED,
                    null,
                    summary,
                    failures,
                    nodes,
                    "dbt Cloud run " + cloudRun + " was cancelled");
        }
        return new RunOutcome(
                RunStatus.FAILED,
                1,
                summary,
                failures,
                nodes,
                "dbt Cloud run " + cloudRun + " failed" + (message == null ? "" : ": " + message));
    }

    /**
     * Cancels the dbt Cloud run Tributary gives up on (retried like any call; one try when the
     * service is stopping). Null when it was cancelled, else why not.
     */
    private String cancel(String runUrl, long cloudRun, RunExecution execution) {
        // The service stopping interrupts this thread: the cancel is still sent.
        boolean interrupted = Thread.interrupted();
        Duration bound =
                execution.isAbandoned() || interrupted
                        ? config.cloud().readTimeout()
                        : config.cloud().retry().maxDuration();
        try {
            call(
                    new Call(
                            runUrl + "cancel/",
                            Map.of(),
                            true,
                            System.nanoTime() + bound.toNanos(),
                            () -> false));
            execution.log("dbt Cloud run " + cloudRun + " cancelled");
            LOG.infof("dbt Cloud run %d cancelled", cloudRun);
            return null;
        } catch (CallFailed e) {
            LOG.warnf("dbt Cloud run %d could not be cancelled: %s", cloudRun, e.getMessage());
            return "dbt Cloud run " + cloudRun + " could not be cancelled: " + e.getMessage();
        } catch (InterruptedException e) {
            interrupted = true;
            return "dbt Cloud run " + cloudRun + " could not be cancelled: interrupted";
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One call to dbt Cloud.
     *
     * @param body the JSON body of a {@code POST}; null for a {@code GET}
     * @param idempotent whether a call that may have reached dbt Cloud may be sent again
     * @param deadline ({@link System#nanoTime()}) no try starts after it, none lasts beyond it
     * @param stop no further try when true (cancelled, shutting down)
     */
    private record Call(
            String url, Object body, boolean idempotent, long deadline, BooleanSupplier stop) {

        String method() {
            return body == null ? "GET" : "POST";
        }

        String endpoint() {
            return method() + " " + URI.create(url).getPath();
        }
    }

    /** A call with its retries. */
    private JsonNode call(Call call) throws InterruptedException {
        try {
            return retrying.call(() -> attempt(call), JsonNode.class);
        } catch (CallFailed | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new CallFailed(call.endpoint() + ": " + e, false, null);
        }
    }

    private JsonNode attempt(Call call) throws InterruptedException {
        String endpoint = call.endpoint();
        long remaining = call.deadline() - System.nanoTime();
        if (call.stop().getAsBoolean() || remaining <= 0) {
            throw new CallFailed(endpoint + " not sent: given up", false, null);
        }
        Duration timeout = config.cloud().readTimeout();
        if (timeout.toNanos() > remaining) {
            timeout = Duration.ofNanos(remaining);
        }
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(call.url()))
                        .timeout(timeout)
                        .header("Authorization", "Token " + config.cloud().token().orElse(""))
                        .header("Accept", "application/json");
        if (call.body() != null) {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(EventJson.toJson(call.body())));
        } else {
            request.GET();
        }
        CompletableFuture<HttpResponse<String>> answer =
                http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> response;
        try {
            // The whole answer, body included, within the timeout.
            response = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new CallFailed(
                    endpoint + ": no answer within " + timeout, call.idempotent(), null);
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            // No connection: the request never reached dbt Cloud, so any call may be sent again.
            boolean unsent =
                    cause instanceof ConnectException
                            || cause instanceof HttpConnectTimeoutException;
            throw new CallFailed(
                    endpoint + ": no answer (" + cause + ")", call.idempotent() || unsent, null);
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            // 429 and 503 refuse the request: dbt Cloud did not act on it.
            throw new CallFailed(
                    endpoint + " answered " + status,
                    call.idempotent() || status == 429 || status == 503,
                    retryAfter(response));
        }
        if (status / 100 != 2) {
            throw new CallFailed(endpoint + " answered " + status, false, null);
        }
        try {
            return EventJson.tree(response.body());
        } catch (IllegalArgumentException e) {
            throw new CallFailed(endpoint + ": the answer is not JSON", false, null);
        }
    }

    /** {@code Retry-After}: seconds, or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(HttpResponse<?> response) {
        Optional<String> value = response.headers().firstValue("Retry-After").map(String::trim);
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.get())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at =
                        ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }

    /**
     * Exponential backoff (doubling from {@code initial-delay} up to {@code max-delay}) with random
     * jitter; a {@code Retry-After} lengthens the wait, never beyond {@code max-duration}.
     */
    private static final class Backoff implements CustomBackoffStrategy {
        private final TransformConfig.Retry retry;
        private long next;

        Backoff(TransformConfig.Retry retry) {
            this.retry = retry;
        }

        @Override
        public void init(long initialDelayInMillis) {
            next = initialDelayInMillis;
        }

        @Override
        public long nextDelayInMillis(Throwable cause) {
            long base = Math.min(next, retry.maxDelay().toMillis());
            next = Math.min(next * 2, retry.maxDelay().toMillis());
            long jitter = retry.jitter().toMillis();
            long delay =
                    Math.max(
                            0,
                            base
                                    + (jitter <= 0
                                            ? 0
                                            : ThreadLocalRandom.current()
                                                    .nextLong(-jitter, jitter + 1)));
            if (cause instanceof CallFailed f && f.retryAfter != null) {
                delay = Math.max(delay, f.retryAfter.toMillis());
            }
            return Math.min(delay, retry.maxDuration().toMillis());
        }
    }

    private long pollDelay(long deadline) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return Math.max(0, Math.min(config.cloud().pollInterval().toMillis(), remaining));
    }

    private static boolean passed(long deadline) {
        return System.nanoTime() - deadline > 0;
    }

    private String base() {
        String base = config.cloud().baseUrl().toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
