package io.tributary.monitor.airbyte;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.faulttolerance.api.RateLimitException;
import io.tributary.events.StreamStats;
import io.tributary.monitor.config.MonitorConfig;
import io.tributary.monitor.config.MonitorConfig.AuthMode;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * The one way to Airbyte. Adds authentication (client credentials, basic or none; a 401 drops the
 * token and the call is retried once), SmallRye Fault Tolerance (one circuit breaker and one rate
 * limit for all calls; retries with exponential backoff and jitter only for idempotent calls, on
 * 5xx, 429 and timeouts), and metrics per endpoint and status.
 *
 * <p>{@code POST /jobs} and {@code DELETE /jobs/{id}} are never retried here: after a failure the
 * caller lists the connection's jobs to learn what happened.
 */
@ApplicationScoped
public class AirbyteClient {
    private static final Logger LOG = Logger.getLogger(AirbyteClient.class);
    private static final int PAGE = 100;

    /** Fewer connections missing from the cache than this are asked for one by one. */
    private static final int PREFETCH_MIN = 20;

    @Inject MonitorConfig config;
    @Inject ObjectMapper mapper;
    @Inject MeterRegistry registry;

    private AirbyteApi api;
    private AirbyteConfigApi configApi;
    private volatile Instant streamStatsPausedUntil = Instant.EPOCH;
    private AirbyteTokens tokens;
    private Guard shared;
    private Guard retrying;
    private CallRate rate;
    private Counter rateLimited;
    private Counter tokenRefreshes;
    private volatile CircuitBreakerState breaker = CircuitBreakerState.CLOSED;
    private final Map<String, CachedConnection> connections = new ConcurrentHashMap<>();

    /** The pass of {@link #prefetchConnections} under way: when it began, where it stands. */
    private Instant passStarted;

    private int passOffset;

    private record CachedConnection(Optional<AirbyteConnection> connection, Instant at) {}

    @PostConstruct
    void init() {
        MonitorConfig.Airbyte airbyte = config.airbyte();
        api =
                QuarkusRestClientBuilder.newBuilder()
                        .baseUri(URI.create(airbyte.baseUrl()))
                        .connectTimeout(airbyte.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout(airbyte.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .property("microprofile.rest.client.disable.default.mapper", true)
                        .build(AirbyteApi.class);
        airbyte.configApiUrl()
                .ifPresent(
                        url ->
                                configApi =
                                        QuarkusRestClientBuilder.newBuilder()
                                                .baseUri(URI.create(url))
                                                .connectTimeout(
                                                        airbyte.streamStatsTimeout().toMillis(),
                                                        TimeUnit.MILLISECONDS)
                                                .readTimeout(
                                                        airbyte.streamStatsTimeout().toMillis(),
                                                        TimeUnit.MILLISECONDS)
                                                .property(
                                                        "microprofile.rest.client.disable.default.mapper",
                                                        true)
                                                .build(AirbyteConfigApi.class));
        tokenRefreshes =
                Counter.builder("tributary.monitor.airbyte.token.refreshes")
                        .description("Airbyte access tokens fetched")
                        .register(registry);
        tokens =
                new AirbyteTokens(
                        this::fetchToken,
                        airbyte.tokenRefreshMargin(),
                        Clock.systemUTC(),
                        mapper,
                        tokenRefreshes::increment);
        MonitorConfig.CircuitBreaker cb = airbyte.circuitBreaker();
        MonitorConfig.RateLimit rl = airbyte.rateLimit();
        shared =
                Guard.create()
                        .withDescription("airbyte")
                        .withCircuitBreaker()
                        .name("airbyte")
                        .requestVolumeThreshold(cb.requestVolumeThreshold())
                        .failureRatio(cb.failureRatio())
                        .delay(cb.delay().toMillis(), ChronoUnit.MILLIS)
                        .failOn(AirbyteUnavailableException.class)
                        .onStateChange(this::breakerChanged)
                        .done()
                        .build();
        rate = new CallRate(rl.limit(), rl.window());
        rateLimited =
                Counter.builder("tributary.monitor.airbyte.rate.limited")
                        .description(
                                "Airbyte calls not sent: their turn in our rate limit was too far")
                        .register(registry);
        MonitorConfig.Retry retry = airbyte.retry();
        retrying =
                Guard.create()
                        .withDescription("airbyte-idempotent")
                        .withRetry()
                        .maxRetries(retry.maxRetries())
                        .delay(retry.initialDelay().toMillis(), ChronoUnit.MILLIS)
                        .jitter(retry.jitter().toMillis(), ChronoUnit.MILLIS)
                        .maxDuration(retry.maxDuration().toMillis(), ChronoUnit.MILLIS)
                        .retryOn(
                                List.of(
                                        AirbyteUnavailableException.class,
                                        RateLimitException.class))
                        .abortOn(
                                List.of(
                                        AirbyteAuthException.class,
                                        CircuitBreakerOpenException.class))
                        .withExponentialBackoff()
                        .factor(2)
                        .maxDelay(retry.maxDelay().toMillis(), ChronoUnit.MILLIS)
                        .done()
                        .done()
                        .build();
        LOG.infof("Airbyte API at %s, auth %s", airbyte.baseUrl(), airbyte.auth());
    }

    private void breakerChanged(CircuitBreakerState state) {
        breaker = state;
        if (state == CircuitBreakerState.OPEN) {
            LOG.warn("Airbyte circuit breaker opened: calls are refused until Airbyte recovers");
        } else if (state == CircuitBreakerState.CLOSED) {
            LOG.info("Airbyte circuit breaker closed again");
        }
    }

    /** State of the circuit breaker that guards every Airbyte call. */
    public CircuitBreakerState breakerState() {
        return breaker;
    }

    /** {@code POST /jobs}: not retried. A failure without an answer leaves the outcome unknown. */
    public AirbyteJob createJob(String connectionId, String jobType) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("connectionId", connectionId);
        body.put("jobType", jobType);
        return AirbyteJob.from(call("POST /jobs", auth -> api.createJob(auth, body), false));
    }

    /** {@code GET /jobs/{jobId}}. */
    public AirbyteJob job(long jobId) {
        return AirbyteJob.from(call("GET /jobs/{jobId}", auth -> api.job(auth, jobId), true));
    }

    /**
     * {@code DELETE /jobs/{jobId}}: Airbyte cancels the connection's <em>current</em> job whatever
     * the id, so callers confirm first that the job still runs. Not retried.
     */
    public AirbyteJob cancel(long jobId) {
        return AirbyteJob.from(
                call("DELETE /jobs/{jobId}", auth -> api.cancelJob(auth, jobId), false));
    }

    /** The connection's most recently created jobs, newest first. */
    public List<AirbyteJob> newestJobs(String connectionId, int limit) {
        JsonNode page =
                call(
                        "GET /jobs",
                        auth -> api.jobs(auth, connectionId, null, "createdAt|DESC", limit, 0),
                        true);
        return jobsOf(page);
    }

    /** Every job (all connections) whose last update is at or after {@code since}, oldest first. */
    public List<AirbyteJob> jobsUpdatedSince(Instant since) {
        return jobsUpdatedSince(since, "updatedAt|ASC", read -> false);
    }

    /**
     * The jobs (all connections) whose last update is at or after {@code since}, newest first, a
     * page at a time until {@code enough} says the jobs read so far are (or the jobs run out).
     */
    public List<AirbyteJob> newestJobsUpdatedSince(
            Instant since, Predicate<List<AirbyteJob>> enough) {
        return jobsUpdatedSince(since, "updatedAt|DESC", enough);
    }

    private List<AirbyteJob> jobsUpdatedSince(
            Instant since, String orderBy, Predicate<List<AirbyteJob>> enough) {
        List<AirbyteJob> all = new ArrayList<>();
        String start = since.truncatedTo(ChronoUnit.SECONDS).toString();
        for (int offset = 0; ; offset += PAGE) {
            int from = offset;
            List<AirbyteJob> page =
                    jobsOf(
                            call(
                                    "GET /jobs",
                                    auth -> api.jobs(auth, null, start, orderBy, PAGE, from),
                                    true));
            all.addAll(page);
            if (page.size() < PAGE || enough.test(all)) {
                return all;
            }
        }
    }

    /**
     * {@code GET /connections/{id}}, reused for the configured TTL; empty when Airbyte says 404.
     */
    public Optional<AirbyteConnection> connection(String connectionId) {
        CachedConnection cached = connections.get(connectionId);
        Instant now = Instant.now();
        if (cached != null
                && cached.at().plus(config.airbyte().connectionCacheTtl()).isAfter(now)) {
            return cached.connection();
        }
        Optional<AirbyteConnection> found;
        try {
            found =
                    Optional.of(
                            AirbyteConnection.from(
                                    call(
                                            "GET /connections/{connectionId}",
                                            auth -> api.connection(auth, connectionId),
                                            true)));
        } catch (AirbyteApiException e) {
            if (e.status() != 404 && e.status() != 400) {
                throw e;
            }
            found = Optional.empty();
        }
        connections.put(connectionId, new CachedConnection(found, now));
        return found;
    }

    /**
     * Fills the connection cache for many connections at once from {@code GET /connections} (a
     * hundred a call) instead of one {@code GET /connections/{id}} each: for a burst of requests.
     * One pass over the list serves the whole burst: each call goes on from the page where the last
     * one stopped, while the pass is younger than half the cache's lifetime (what it learnt first
     * must still be fresh when used), and pages no more than the connections it still misses would
     * cost one by one. Connections the list does not show are asked for one by one when needed.
     * Callers wait for a look another thread is making, which then serves them too.
     */
    public synchronized void prefetchConnections(Collection<String> connectionIds) {
        Duration ttl = config.airbyte().connectionCacheTtl();
        Instant start = Instant.now();
        Set<String> missing = new HashSet<>();
        for (String id : connectionIds) {
            CachedConnection cached = connections.get(id);
            if (cached == null || !cached.at().plus(ttl).isAfter(start)) {
                missing.add(id);
            }
        }
        if (missing.size() < PREFETCH_MIN) {
            return;
        }
        if (passStarted == null || !passStarted.plus(ttl.dividedBy(2)).isAfter(start)) {
            passStarted = start;
            passOffset = 0;
        }
        Instant end = passStarted.plus(ttl.dividedBy(2));
        for (int pages = 0;
                !missing.isEmpty() && pages < missing.size() && Instant.now().isBefore(end);
                pages++) {
            int from = passOffset;
            JsonNode data =
                    call("GET /connections", auth -> api.connections(auth, PAGE, from), true)
                            .path("data");
            Instant now = Instant.now();
            for (JsonNode node : data) {
                AirbyteConnection c = AirbyteConnection.from(node);
                if (c.connectionId() != null) {
                    connections.put(c.connectionId(), new CachedConnection(Optional.of(c), now));
                    missing.remove(c.connectionId());
                }
            }
            passOffset += PAGE;
            if (data.size() < PAGE) {
                // The whole list is fresh: what is still missing is not in it.
                passStarted = Instant.EPOCH;
                return;
            }
        }
    }

    /** Drops the cached connections too old to be used (a burst's leave thousands). */
    public void forgetExpiredConnections() {
        Instant oldest = Instant.now().minus(config.airbyte().connectionCacheTtl());
        connections.values().removeIf(c -> !c.at().isAfter(oldest));
    }

    /** Forgets a cached connection (after Airbyte said it is inactive or gone). */
    public void forgetConnection(String connectionId) {
        connections.remove(connectionId);
    }

    /** Every connection of the workspaces the credentials reach. */
    public List<AirbyteConnection> connections() {
        List<AirbyteConnection> all = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE) {
            int from = offset;
            JsonNode data =
                    call("GET /connections", auth -> api.connections(auth, PAGE, from), true)
                            .path("data");
            data.forEach(node -> all.add(AirbyteConnection.from(node)));
            if (data.size() < PAGE) {
                return all;
            }
        }
    }

    /**
     * What job {@code jobId} committed per stream (self-managed Airbyte's Configuration API, {@code
     * POST /v1/jobs/get}): empty when that API is not configured, when the job reported no stream
     * stats, or when the read failed or took longer than {@code stream-stats-timeout}. Never throws
     * and never waits past that bound: an ending goes out with or without its streams. A failed
     * read pauses the reads for ten times the bound (an Airbyte without that API, or down, costs
     * one bounded wait, not one per ending). Outside the breaker and the rate limit: it is not
     * worth refusing a start for.
     */
    public Optional<List<StreamStats>> streamStats(long jobId) {
        if (configApi == null) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        if (now.isBefore(streamStatsPausedUntil)) {
            countStreamStats("paused");
            return Optional.empty();
        }
        try {
            JsonNode info =
                    authenticated(
                            "POST /v1/jobs/get", auth -> configApi.job(auth, Map.of("id", jobId)));
            Optional<List<StreamStats>> streams = AirbyteJobStreams.from(info);
            countStreamStats(streams.isPresent() ? "read" : "none");
            return streams;
        } catch (RuntimeException e) {
            streamStatsPausedUntil = now.plus(config.airbyte().streamStatsPause());
            countStreamStats("failed");
            LOG.warnf(
                    "job %d: per-stream stats not read, the ending goes without them: %s",
                    jobId, e.getMessage());
            return Optional.empty();
        }
    }

    private void countStreamStats(String outcome) {
        registry.counter("tributary.monitor.airbyte.stream.stats", "outcome", outcome).increment();
    }

    /** {@code GET /health}, once, outside the breaker: what readiness reports. */
    public boolean healthy() {
        try (Response r = send("GET /health", api::health)) {
            return r.getStatus() / 100 == 2;
        } catch (AirbyteUnavailableException e) {
            return false;
        }
    }

    private static List<AirbyteJob> jobsOf(JsonNode page) {
        List<AirbyteJob> jobs = new ArrayList<>();
        page.path("data").forEach(node -> jobs.add(AirbyteJob.from(node)));
        return jobs;
    }

    private JsonNode call(String endpoint, Function<String, Response> request, boolean idempotent) {
        Callable<JsonNode> guarded =
                () -> {
                    takeTurn(endpoint);
                    return shared.call(() -> authenticated(endpoint, request), JsonNode.class);
                };
        try {
            return idempotent ? retrying.call(guarded, JsonNode.class) : guarded.call();
        } catch (AirbyteApiException | AirbyteUnavailableException e) {
            throw e;
        } catch (CircuitBreakerOpenException e) {
            throw AirbyteUnavailableException.notSent("Airbyte circuit breaker is open", e);
        } catch (RateLimitException e) {
            throw AirbyteUnavailableException.notSent("Airbyte call rate limit reached", e);
        } catch (Exception e) {
            throw new AirbyteUnavailableException(0, String.valueOf(e.getMessage()), e);
        }
    }

    /**
     * Waits for this call's turn in the rate limit (a window at most); a turn further away is a
     * {@link RateLimitException}: the call is not sent (idempotent ones are retried later).
     */
    private void takeTurn(String endpoint) {
        if (!rate.acquire(config.airbyte().rateLimit().window())) {
            rateLimited.increment();
            throw new RateLimitException(endpoint + ": Airbyte call rate limit reached");
        }
    }

    private JsonNode authenticated(String endpoint, Function<String, Response> request) {
        String auth = authorizationBefore(endpoint);
        Response response = send(endpoint, () -> request.apply(auth));
        if (response.getStatus() == 401 && config.airbyte().auth() == AuthMode.CLIENT_CREDENTIALS) {
            // Refused unread: sending it again with a fresh token cannot act twice.
            response.close();
            tokens.invalidate(auth.substring("Bearer ".length()));
            String fresh = authorizationBefore(endpoint);
            response = send(endpoint, () -> request.apply(fresh));
        }
        return read(endpoint, response);
    }

    /** The Authorization header; without a token the call is not sent at all. */
    private String authorizationBefore(String endpoint) {
        try {
            return authorization();
        } catch (AirbyteUnavailableException e) {
            throw AirbyteUnavailableException.notSent(
                    endpoint + " not sent: no access token (" + e.getMessage() + ")", e);
        }
    }

    private String authorization() {
        MonitorConfig.Airbyte airbyte = config.airbyte();
        switch (airbyte.auth()) {
            case CLIENT_CREDENTIALS:
                return "Bearer " + tokens.token();
            case BASIC:
                String pair = airbyte.username().orElse("") + ":" + airbyte.password().orElse("");
                return "Basic "
                        + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
            default:
                return null;
        }
    }

    private JsonNode fetchToken() {
        MonitorConfig.Airbyte airbyte = config.airbyte();
        Map<String, String> body = new LinkedHashMap<>();
        body.put("client_id", airbyte.clientId().orElse(""));
        body.put("client_secret", airbyte.clientSecret().orElse(""));
        body.put("grant_type", "client_credentials");
        Response response = send("POST /applications/token", () -> api.token(body));
        if (response.getStatus() == 401 || response.getStatus() == 403) {
            response.close();
            throw new AirbyteAuthException(
                    response.getStatus(), "Airbyte refused the client credentials");
        }
        return read("POST /applications/token", response);
    }

    private Response send(String endpoint, java.util.function.Supplier<Response> request) {
        Response response;
        try {
            response = request.get();
        } catch (WebApplicationException e) {
            response = e.getResponse();
        } catch (ProcessingException e) {
            count(endpoint, "none");
            String message = endpoint + ": no answer (" + rootMessage(e) + ")";
            throw refusedConnection(e)
                    ? AirbyteUnavailableException.notSent(message, e)
                    : new AirbyteUnavailableException(0, message, e);
        }
        count(endpoint, String.valueOf(response.getStatus()));
        return response;
    }

    private JsonNode read(String endpoint, Response response) {
        try (response) {
            int status = response.getStatus();
            String text = response.hasEntity() ? response.readEntity(String.class) : "";
            if (status == 401 || status == 403) {
                throw new AirbyteAuthException(status, endpoint + " answered " + status);
            }
            if (status == 429 || status >= 500) {
                throw new AirbyteUnavailableException(
                        status, endpoint + " answered " + status, null);
            }
            JsonNode body = parse(text);
            if (status / 100 != 2) {
                String type = AirbyteJob.text(body, "type");
                String detail = AirbyteJob.text(body, "detail");
                String problem = type == null ? "" : type.substring(type.lastIndexOf('#') + 1);
                throw new AirbyteApiException(
                        status,
                        problem,
                        endpoint + " answered " + status + (detail == null ? "" : ": " + detail));
            }
            return body;
        } catch (ProcessingException e) {
            throw new AirbyteUnavailableException(0, endpoint + ": unreadable answer", e);
        }
    }

    private JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return NullNode.getInstance();
        }
        try {
            return mapper.readTree(text);
        } catch (Exception e) {
            return NullNode.getInstance();
        }
    }

    private void count(String endpoint, String status) {
        registry.counter("tributary.monitor.airbyte.calls", "endpoint", endpoint, "status", status)
                .increment();
    }

    /** A refused TCP connection carried no request; a timeout or a reset may have. */
    private static boolean refusedConnection(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }
}
