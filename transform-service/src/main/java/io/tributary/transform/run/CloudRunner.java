package io.tributary.transform.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.events.EventJson;
import io.tributary.transform.config.TransformConfig;
import io.tributary.transform.dbt.RunResults;
import io.tributary.transform.definition.TransformDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs a transform as a dbt Cloud job through the dbt Cloud Administrative API v2: {@code POST
 * /api/v2/accounts/{account}/jobs/{job}/run/} with a {@code cause}, then {@code GET
 * .../runs/{run}/} every {@code cloud.poll-interval} until the status is final (10 success, 20
 * error, 30 cancelled), then {@code run_results.json} from {@code .../runs/{run}/artifacts/}.
 * Timeout and cancel call {@code POST .../runs/{run}/cancel/}. The service token is sent as {@code
 * Authorization: Token ...} and never logged.
 */
@ApplicationScoped
public class CloudRunner implements TransformRunner {
    private static final Logger LOG = Logger.getLogger(CloudRunner.class);
    static final int SUCCESS = 10;
    static final int ERROR = 20;
    static final int CANCELLED = 30;

    @Inject TransformConfig config;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Override
    public RunOutcome run(
            TransformDefinition d, RunRecord run, Duration timeout, RunExecution execution) {
        Optional<String> token = config.cloud().token().filter(t -> !t.isBlank());
        if (token.isEmpty()) {
            return RunOutcome.failed("tributary.transform.cloud.token is not set");
        }
        String account = base() + "/api/v2/accounts/" + d.cloud().accountId();
        long deadline = System.nanoTime() + timeout.toNanos();
        long cloudRun;
        try {
            String cause = ("Tributary transform " + d.name() + " run " + run.runId());
            JsonNode started =
                    call(
                            token.get(),
                            "POST",
                            account + "/jobs/" + d.cloud().jobId() + "/run/",
                            Map.of(
                                    "cause",
                                    cause.length() > 255 ? cause.substring(0, 255) : cause));
            cloudRun = started.path("data").path("id").asLong();
            if (cloudRun <= 0) {
                return RunOutcome.failed("dbt Cloud answered no run id");
            }
        } catch (IOException e) {
            return RunOutcome.failed("dbt Cloud job could not be triggered: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RunOutcome.failed("interrupted");
        }
        String runUrl = account + "/runs/" + cloudRun + "/";
        execution.log("dbt Cloud run " + cloudRun + " triggered");
        LOG.infof("run %s of %s: dbt Cloud run %d", run.runId(), d.name(), cloudRun);
        try {
            while (true) {
                if (execution.isCancelled() || execution.isAbandoned()) {
                    call(token.get(), "POST", runUrl + "cancel/", Map.of());
                    return RunOutcome.cancelled(
                            execution.isCancelled() ? execution.cancelReason() : "abandoned", null);
                }
                if (System.nanoTime() > deadline) {
                    call(token.get(), "POST", runUrl + "cancel/", Map.of());
                    return RunOutcome.failed(
                            "timed out after "
                                    + timeout
                                    + ": dbt Cloud run "
                                    + cloudRun
                                    + " was cancelled");
                }
                JsonNode data = call(token.get(), "GET", runUrl, null).path("data");
                int status = data.path("status").asInt();
                execution.log(
                        "dbt Cloud run "
                                + cloudRun
                                + ": "
                                + data.path("status_humanized").asText(""));
                if (status == SUCCESS || status == ERROR || status == CANCELLED) {
                    return finished(token.get(), runUrl, cloudRun, status, data);
                }
                Thread.sleep(config.cloud().pollInterval().toMillis());
            }
        } catch (IOException e) {
            return RunOutcome.failed("dbt Cloud run " + cloudRun + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RunOutcome.failed("interrupted");
        }
    }

    private RunOutcome finished(
            String token, String runUrl, long cloudRun, int status, JsonNode data)
            throws InterruptedException {
        Optional<RunResults> results = Optional.empty();
        try {
            results =
                    Optional.of(
                            RunResults.parse(
                                    call(
                                            token,
                                            "GET",
                                            runUrl + "artifacts/run_results.json",
                                            null)));
        } catch (IOException e) {
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

    private JsonNode call(String token, String method, String url, Object body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Token " + token)
                        .header("Accept", "application/json");
        if ("POST".equals(method)) {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(EventJson.toJson(body)));
        } else {
            request.GET();
        }
        HttpResponse<String> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    method
                            + " "
                            + URI.create(url).getPath()
                            + " answered "
                            + response.statusCode());
        }
        try {
            return EventJson.tree(response.body());
        } catch (IllegalArgumentException e) {
            throw new IOException("dbt Cloud answered something that is not JSON");
        }
    }

    private String base() {
        String base = config.cloud().baseUrl().toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
