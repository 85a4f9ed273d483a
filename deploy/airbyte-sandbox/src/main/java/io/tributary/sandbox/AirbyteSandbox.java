package io.tributary.sandbox;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A stateful simulator of the Airbyte public API, served over HTTP under both {@code
 * /api/public/v1} (self-managed) and {@code /v1} (Cloud), scriptable from Java and from {@code
 * /sandbox/...} admin endpoints. Start one per test class with {@link #builder()}.
 */
public final class AirbyteSandbox implements AutoCloseable {

    public static final String SELF_MANAGED_PREFIX = "/api/public/v1";
    public static final String CLOUD_PREFIX = "/v1";

    /** The self-managed Configuration API (no Cloud equivalent). */
    public static final String CONFIG_PREFIX = "/api/v1";

    private static final UUID WORKSPACE_ID =
            UUID.fromString("3f1c5c3e-8d0a-4b7e-9a43-5b1f0e0c2a10");

    /** Vert.x event loops serving HTTP and job timers: one a core, at most 4. */
    private static final int EVENT_LOOPS =
            Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final Builder config;
    private final Clock clock = Clock.systemUTC();
    private final SandboxWorkspace workspace;
    private final TokenIssuer tokens = new TokenIssuer(clock);
    private final SandboxFaults faults = new SandboxFaults(clock);
    private final CallCounters counters = new CallCounters();
    private final Vertx vertx;
    private final JobEngine engine;
    private final PublicApiHandler api;
    private final AdminApiHandler admin;
    private final SandboxAuth auth;
    private volatile String webhookUrl;
    private HttpServer server;
    private int port = -1;

    private AirbyteSandbox(Builder b) {
        this.config = b;
        this.auth = b.auth;
        this.webhookUrl = b.webhookUrl;
        this.workspace = new SandboxWorkspace(WORKSPACE_ID, "Tributary sandbox");
        this.vertx =
                Vertx.vertx(
                        new VertxOptions()
                                .setEventLoopPoolSize(EVENT_LOOPS)
                                .setWorkerPoolSize(2)
                                .setInternalBlockingPoolSize(2));
        this.engine = new JobEngine(vertx, clock, b.timeCompression);
        if (b.jdbcUrl != null) {
            engine.setLoader(new ShopDataLoader(b.jdbcUrl, b.jdbcUser, b.jdbcPassword));
        }
        engine.addListener(new WebhookNotifier(() -> webhookUrl, this::origin, workspace));
        this.api = new PublicApiHandler(this);
        this.admin = new AdminApiHandler(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the HTTP server; returns this for chaining. */
    public AirbyteSandbox start() {
        HttpServerOptions options =
                new HttpServerOptions()
                        .setHost(config.host)
                        .setPort(config.port)
                        .setTcpNoDelay(true)
                        .setIdleTimeout(120)
                        .setIdleTimeoutUnit(TimeUnit.SECONDS);
        try {
            server =
                    vertx.createHttpServer(options)
                            .requestHandler(this::dispatch)
                            .listen()
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("cannot bind the sandbox on port " + config.port, e);
        }
        port = server.actualPort();
        return this;
    }

    private void dispatch(HttpServerRequest req) {
        String path = req.path();
        if (path.startsWith("/sandbox/") || path.equals("/sandbox")) {
            admin.handle(req, path.substring("/sandbox".length()));
        } else if (path.startsWith(SELF_MANAGED_PREFIX + "/")) {
            api.handle(req, SELF_MANAGED_PREFIX, path.substring(SELF_MANAGED_PREFIX.length()));
        } else if (path.startsWith(CONFIG_PREFIX + "/")) {
            api.handle(req, CONFIG_PREFIX, path.substring(CONFIG_PREFIX.length()));
        } else if (path.startsWith(CLOUD_PREFIX + "/")) {
            api.handle(req, CLOUD_PREFIX, path.substring(CLOUD_PREFIX.length()));
        } else {
            req.response().setStatusCode(404).end();
        }
    }

    @Override
    public void close() {
        engine.shutdown();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Closing is best effort: a test that ends must not fail on it.
        }
    }

    // ---- addresses ----

    /** {@code http://127.0.0.1:PORT/api/public/v1}, the self-managed base URL. */
    public String baseUrl() {
        return origin() + SELF_MANAGED_PREFIX;
    }

    /** {@code http://127.0.0.1:PORT/v1}, the Cloud-style base URL. */
    public String cloudBaseUrl() {
        return origin() + CLOUD_PREFIX;
    }

    /** {@code http://127.0.0.1:PORT/api/v1}, the self-managed Configuration API. */
    public String configApiUrl() {
        return origin() + CONFIG_PREFIX;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String origin() {
        String host = config.host.equals("0.0.0.0") ? "127.0.0.1" : config.host;
        return "http://" + host + ":" + port;
    }

    public SandboxWorkspace workspace() {
        return workspace;
    }

    // ---- connections ----

    /** Adds an active connection without data loading; returns its id. */
    public UUID addConnection(String name, ConnectionScript script) {
        return connection(name).script(script).add();
    }

    /** Starts describing a connection; finish with {@link ConnectionDraft#add()}. */
    public ConnectionDraft connection(String name) {
        return new ConnectionDraft(name);
    }

    public List<SandboxConnection> connections() {
        return engine.connections();
    }

    public SandboxConnection connectionInfo(UUID connectionId) {
        return engine.connection(connectionId);
    }

    /** Changes what the connection's next jobs do (a running job keeps its script). */
    public void script(UUID connectionId, ConnectionScript script) {
        engine.setScript(connectionId, Objects.requireNonNull(script));
    }

    public ConnectionScript script(UUID connectionId) {
        return engine.script(connectionId);
    }

    /** {@code active} or {@code inactive}; Airbyte refuses jobs on an inactive connection. */
    public void setActive(UUID connectionId, boolean active) {
        engine.setActive(connectionId, active);
    }

    // ---- jobs ----

    /** A sync started by Airbyte's own scheduler or UI, not through the API; returns its id. */
    public long startJobOutside(UUID connectionId) {
        return startJobOutside(connectionId, JobType.SYNC);
    }

    /**
     * Like {@link #startJobOutside(UUID)}; throws {@link ApiProblem} where the API would refuse.
     */
    public long startJobOutside(UUID connectionId, JobType type) {
        return engine.create(connectionId, type).jobId();
    }

    public JobSnapshot job(long jobId) {
        return engine.job(jobId);
    }

    /** The connection's jobs, oldest first. */
    public List<JobSnapshot> jobs(UUID connectionId) {
        return engine.jobsOf(connectionId);
    }

    /** Ends the connection's current job now with its scripted outcome (a hang succeeds). */
    public JobSnapshot completeNow(UUID connectionId) {
        return engine.completeNow(connectionId);
    }

    /** Ends a running job now as {@code status} (succeeded, failed or cancelled). */
    public JobSnapshot finishJob(long jobId, JobStatus status) {
        return engine.finish(jobId, status, null);
    }

    /** Fails a running job now with {@code errorMessage}. */
    public JobSnapshot failJob(long jobId, String errorMessage) {
        return engine.finish(jobId, JobStatus.FAILED, errorMessage);
    }

    // ---- faults, tokens, counters, settings ----

    public SandboxFaults faults() {
        return faults;
    }

    /** Every token issued so far stops working at once. */
    public void revokeAllTokens() {
        tokens.revokeAll();
    }

    /** Calls answered on {@code endpoint} (e.g. {@code "POST /jobs"}) with {@code status}. */
    public long calls(String endpoint, int status) {
        return counters.get(endpoint, status);
    }

    /** Calls on {@code endpoint}, whatever the status. */
    public long calls(String endpoint) {
        return counters.total(endpoint);
    }

    /** Counts keyed {@code "METHOD /template STATUS"}, e.g. {@code "GET /jobs/{jobId} 200"}. */
    public Map<String, Long> callCounts() {
        return counters.snapshot();
    }

    public void resetCounters() {
        counters.reset();
    }

    public void setTimeCompression(double factor) {
        engine.setTimeCompression(factor);
    }

    public double timeCompression() {
        return engine.timeCompression();
    }

    /** Where sync notifications go; null stops them. */
    public void setWebhookUrl(String url) {
        this.webhookUrl = url;
    }

    public String webhookUrl() {
        return webhookUrl;
    }

    public SandboxAuth auth() {
        return auth;
    }

    Duration tokenLifetime() {
        return config.tokenLifetime;
    }

    Duration advertisedExpiresIn() {
        return config.advertisedExpiresIn != null
                ? config.advertisedExpiresIn
                : config.tokenLifetime;
    }

    TokenIssuer tokens() {
        return tokens;
    }

    CallCounters counters() {
        return counters;
    }

    JobEngine engine() {
        return engine;
    }

    Vertx vertx() {
        return vertx;
    }

    /** Describes a connection before adding it. */
    public final class ConnectionDraft {
        private final String name;
        private final String sourceName;
        private final String destinationName;
        private UUID id = UUID.randomUUID();
        private boolean active = true;
        private boolean loadsShopData;
        private List<SandboxStream> streams;
        private ConnectionScript script = ConnectionScript.succeedAfter(Duration.ofSeconds(1), 100);

        private ConnectionDraft(String name) {
            this.name = Objects.requireNonNull(name);
            int arrow = name.indexOf('→');
            this.sourceName = arrow > 0 ? name.substring(0, arrow).trim() : name;
            this.destinationName = arrow > 0 ? name.substring(arrow + 1).trim() : "Postgres";
        }

        public ConnectionDraft id(UUID value) {
            this.id = Objects.requireNonNull(value);
            return this;
        }

        public ConnectionDraft inactive() {
            this.active = false;
            return this;
        }

        /**
         * A succeeded sync writes the demo shop rows (when the sandbox has a JDBC URL); the
         * connection's streams are the shop's {@code customers}, {@code orders} and {@code
         * payments} in {@code raw_shop}.
         */
        public ConnectionDraft loadsShopData() {
            this.loadsShopData = true;
            return this;
        }

        /**
         * The connection's catalog; by default one stream named after the source ("stripe" for
         * "stripe → postgres"), without namespace.
         */
        public ConnectionDraft streams(List<SandboxStream> value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("a connection needs at least one stream");
            }
            this.streams = List.copyOf(value);
            return this;
        }

        private List<SandboxStream> catalog() {
            if (streams != null) {
                return streams;
            }
            if (loadsShopData) {
                return ShopDataLoader.streams();
            }
            String slug =
                    sourceName
                            .toLowerCase(Locale.ROOT)
                            .replaceAll("[^a-z0-9]+", "_")
                            .replaceAll("^_|_$", "");
            return List.of(SandboxStream.of(null, slug.isEmpty() ? "records" : slug));
        }

        public ConnectionDraft script(ConnectionScript value) {
            this.script = Objects.requireNonNull(value);
            return this;
        }

        public UUID add() {
            engine.addConnection(
                    new SandboxConnection(
                            id,
                            name,
                            workspace.id(),
                            UUID.nameUUIDFromBytes(("source:" + id).getBytes()),
                            sourceName,
                            UUID.nameUUIDFromBytes(("destination:" + id).getBytes()),
                            destinationName,
                            active,
                            loadsShopData,
                            catalog(),
                            Instant.now(clock)),
                    script);
            return id;
        }
    }

    /** Settings for {@link AirbyteSandbox}; every one has a default. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private SandboxAuth auth =
                SandboxAuth.clientCredentials("sandbox-client", "sandbox-secret");
        private Duration tokenLifetime = Duration.ofSeconds(180);
        private Duration advertisedExpiresIn;
        private double timeCompression = 1.0;
        private String webhookUrl;
        private String jdbcUrl;
        private String jdbcUser;
        private String jdbcPassword;

        private Builder() {}

        /** 0 (the default) picks a free port. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** 127.0.0.1 by default; 0.0.0.0 to serve other hosts. */
        public Builder host(String value) {
            this.host = Objects.requireNonNull(value);
            return this;
        }

        public Builder auth(SandboxAuth value) {
            this.auth = Objects.requireNonNull(value);
            return this;
        }

        /** How long tokens really work (default 180 s, like Airbyte Cloud's JWTs). */
        public Builder tokenLifetime(Duration value) {
            this.tokenLifetime = Objects.requireNonNull(value);
            return this;
        }

        /** What {@code expires_in} claims; defaults to the real lifetime. Set it higher to lie. */
        public Builder advertisedExpiresIn(Duration value) {
            this.advertisedExpiresIn = value;
            return this;
        }

        /** Divides scripted job durations: 60 runs a scripted minute in one second. */
        public Builder timeCompression(double value) {
            if (!(value > 0)) {
                throw new IllegalArgumentException("time compression must be > 0");
            }
            this.timeCompression = value;
            return this;
        }

        public Builder webhookUrl(String value) {
            this.webhookUrl = value;
            return this;
        }

        /** Enables data loading for connections that load shop data. */
        public Builder jdbcUrl(String url, String user, String password) {
            this.jdbcUrl = Objects.requireNonNull(url);
            this.jdbcUser = user;
            this.jdbcPassword = password;
            return this;
        }

        public AirbyteSandbox build() {
            return new AirbyteSandbox(this);
        }
    }
}
