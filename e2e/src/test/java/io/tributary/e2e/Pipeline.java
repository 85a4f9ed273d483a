package io.tributary.e2e;

import static org.awaitility.Awaitility.await;

import io.tributary.local.Infrastructure;
import io.tributary.local.KafkaFrontDoor;
import io.tributary.local.KafkaTopics;
import io.tributary.local.ServiceDatabase;
import io.tributary.sandbox.AirbyteSandbox;
import io.tributary.sandbox.SandboxAuth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The whole pipeline on one machine: embedded Kafka and PostgreSQL, the Airbyte sandbox loading
 * into a warehouse database, and the four packaged services as separate processes.
 */
final class Pipeline implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Pipeline.class);
    static final String API_TOKEN = "e2e-write-token-0123456789abcdef";
    static final String HINT_SECRET = "e2e-airbyte-hint-secret-0123456789";
    static final String VIEWER_TOKEN = "e2e-console-read-token-0123456789";
    static final String SERVICES[] = {
        "trigger-service",
        "sync-monitor-service",
        "transform-service",
        "notifier-service",
        "console-service"
    };

    final Path repo =
            Path.of(System.getProperty("tributary.repo", "..")).toAbsolutePath().normalize();
    final Path workDir;
    final KafkaFrontDoor kafka;
    final Infrastructure infra;
    final ServiceDatabase warehouse;
    final AirbyteSandbox airbyte;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> extraEnv = new HashMap<>();
    private final StackPorts ports = StackPorts.forThisFork();

    private Pipeline(Path workDir, Consumer<Map<String, Map<String, String>>> configure) {
        this.workDir = workDir;
        for (String s : SERVICES) {
            snapshot(s);
        }
        // Every Kafka client, the services' and the test's, goes through the front door.
        int kafkaPort = ports.free();
        this.kafka = KafkaFrontDoor.open(kafkaPort);
        this.infra =
                Infrastructure.start(
                        workDir.resolve("infra"),
                        kafkaPort,
                        ports.free(),
                        new Infrastructure.Settings(Map.of(), kafka.brokerOverrides(), null));
        KafkaTopics.ensure(kafkaBootstrapServers(), KafkaTopics.contractTopics(), 3);
        this.warehouse = infra.database("warehouse");
        for (String s : SERVICES) {
            services.put(s, null);
            extraEnv.put(s, new HashMap<>());
        }
        int monitorPort = ports.free();
        this.airbyte =
                AirbyteSandbox.builder()
                        .auth(SandboxAuth.clientCredentials("e2e-client", "e2e-secret-0123456789"))
                        .jdbcUrl(warehouse.jdbcUrl(), warehouse.username(), warehouse.password())
                        .webhookUrl(
                                "http://127.0.0.1:"
                                        + monitorPort
                                        + "/airbyte/notifications/"
                                        + HINT_SECRET)
                        .build()
                        .start();
        configure.accept(extraEnv);
        for (String s : SERVICES) {
            int port = s.equals("sync-monitor-service") ? monitorPort : ports.free();
            services.put(s, process(s, port));
        }
    }

    /** The broker's address for every client: its front door, which a test can freeze. */
    String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    static Pipeline start(Consumer<Map<String, Map<String, String>>> configure) {
        Path dir;
        try {
            Files.createDirectories(Path.of("target"));
            dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "e2e-");
            Files.createDirectories(dir.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Pipeline p = new Pipeline(dir, configure);
        try {
            p.services.values().forEach(ServiceProcess::start);
            p.awaitReady();
        } catch (RuntimeException | AssertionError e) {
            p.close();
            throw e;
        }
        return p;
    }

    private ServiceProcess process(String service, int port) {
        ServiceDatabase db = infra.database(service);
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", db.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", db.password());
        env.put("TRIBUTARY_API_TOKENS_E2E_TOKEN", API_TOKEN);
        env.put("TRIBUTARY_API_TOKENS_E2E_SCOPE", "write");
        env.put("TRIBUTARY_MONITOR_AIRBYTE_BASE_URL", airbyte.baseUrl());
        // Self-managed Airbyte: endings carry what each stream committed (select: changed).
        env.put("TRIBUTARY_MONITOR_AIRBYTE_CONFIG_API_URL", airbyte.configApiUrl());
        env.put("TRIBUTARY_MONITOR_AIRBYTE_CLIENT_ID", "e2e-client");
        env.put("TRIBUTARY_MONITOR_AIRBYTE_CLIENT_SECRET", "e2e-secret-0123456789");
        env.put("TRIBUTARY_MONITOR_NOTIFICATION_SECRET", HINT_SECRET);
        // As ./tributary and the Kubernetes manifests: static Kafka group membership.
        env.put("TRIBUTARY_KAFKA_INSTANCE_ID", service);
        env.putAll(serviceDefaults(service));
        env.putAll(extraEnv.get(service));
        return new ServiceProcess(
                service,
                workDir.resolve("apps").resolve(service).resolve("quarkus-run.jar"),
                port,
                env,
                workDir.resolve("logs"));
    }

    /**
     * Copies the packaged service ({@code target/quarkus-app}) into the work directory, so that a
     * rebuild of the service while the suite runs (or a restart in the middle of it) cannot start a
     * half-written application.
     */
    private void snapshot(String service) {
        Path from = repo.resolve(service).resolve("target/quarkus-app");
        Path to = workDir.resolve("apps").resolve(service);
        if (!Files.exists(from.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(
                    from + " has no quarkus-run.jar: package the services first (./mvnw package)");
        }
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from, e);
        }
    }

    /**
     * What each service needs beyond the common settings to work in this setup: the transformer
     * runs the real dbt from the venv the build creates, on the demo project, with the warehouse
     * credentials passed to dbt by environment; the notifier may call the local receiver over http;
     * the monitor and the notifier look a little more often than in production.
     */
    private Map<String, String> serviceDefaults(String service) {
        Map<String, String> env = new HashMap<>();
        switch (service) {
            case "transform-service" -> {
                URI wh = URI.create(warehouse.jdbcUrl().substring("jdbc:".length()));
                env.put(
                        "TRIBUTARY_TRANSFORM_DBT_EXECUTABLE",
                        repo.resolve("deploy/dbt/.venv/bin/dbt").toString());
                env.put("TRIBUTARY_TRANSFORM_PROJECTS_ROOT", repo.resolve("deploy/dbt").toString());
                env.put(
                        "TRIBUTARY_TRANSFORM_RUNS_DIRECTORY",
                        workDir.resolve("dbt-runs").toString());
                env.put("TRIBUTARY_TRANSFORM_INSTANCE_ID", "e2e-transform");
                env.put(
                        "TRIBUTARY_TRANSFORM_PASS_ENV",
                        "WAREHOUSE_HOST,WAREHOUSE_PORT,WAREHOUSE_USER,WAREHOUSE_PASSWORD,WAREHOUSE_DB");
                env.put("WAREHOUSE_HOST", wh.getHost());
                env.put("WAREHOUSE_PORT", String.valueOf(wh.getPort()));
                env.put("WAREHOUSE_USER", warehouse.username());
                env.put("WAREHOUSE_PASSWORD", warehouse.password());
                env.put("WAREHOUSE_DB", warehouse.database());
            }
            case "notifier-service" -> {
                env.put("TRIBUTARY_NOTIFIER_HTTP_ALLOW_LIST", "127.0.0.1");
                env.put("TRIBUTARY_NOTIFIER_DELIVERY_INITIAL_BACKOFF", "PT0.5S");
                env.put("TRIBUTARY_NOTIFIER_DELIVERY_MAX_BACKOFF", "PT2S");
                // Promises of a few seconds, judged within half a second.
                env.put("TRIBUTARY_NOTIFIER_EXPECTATIONS_MIN_DURATION", "PT2S");
                env.put("TRIBUTARY_NOTIFIER_EXPECTATIONS_CHECK_INTERVAL", "0.5s");
            }
            case "sync-monitor-service" -> {
                env.put("TRIBUTARY_MONITOR_POLL_MIN_INTERVAL", "PT1S");
                env.put("TRIBUTARY_MONITOR_POLL_MAX_INTERVAL", "PT3S");
                env.put("TRIBUTARY_MONITOR_POLL_LIST_INTERVAL", "PT1S");
            }
            case "console-service" -> {
                // The console calls the four with the suite's write token; people sign in with
                // it (write) or with a read-only token.
                env.put("TRIBUTARY_CONSOLE_TRIGGER_URL", services.get("trigger-service").url(""));
                env.put(
                        "TRIBUTARY_CONSOLE_MONITOR_URL",
                        services.get("sync-monitor-service").url(""));
                env.put(
                        "TRIBUTARY_CONSOLE_TRANSFORM_URL",
                        services.get("transform-service").url(""));
                env.put("TRIBUTARY_CONSOLE_NOTIFIER_URL", services.get("notifier-service").url(""));
                env.put("TRIBUTARY_CONSOLE_SERVICE_TOKEN", API_TOKEN);
                env.put("TRIBUTARY_API_TOKENS_VIEWER_TOKEN", VIEWER_TOKEN);
                env.put("TRIBUTARY_API_TOKENS_VIEWER_SCOPE", "read");
                env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            }
            default -> {}
        }
        return env;
    }

    /** Sends HTTP requests to a service's API with the suite's write token. */
    String api(String service, String method, String path, String json) {
        return Http.call(services.get(service).url(path), method, json, API_TOKEN).expectOk();
    }

    ServiceProcess service(String name) {
        return services.get(name);
    }

    void awaitReady() {
        for (ServiceProcess s : services.values()) {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .failFast(s.name + " exited:\n" + s.logTail(40), () -> !s.isAlive())
                    .until(s::isReady);
            LOG.infof("%s ready on port %d", s.name, s.port);
        }
    }

    /** Kills a service with SIGKILL and starts it again with the same configuration. */
    void crashAndRestart(String name) {
        ServiceProcess old = services.get(name);
        old.kill();
        restart(name, old.port);
    }

    /**
     * Stops every service at once with SIGTERM and returns how long each took to exit (waiting at
     * most {@code limit} each).
     */
    Map<String, Duration> stopAll(Duration limit) {
        Map<String, java.util.concurrent.CompletableFuture<Duration>> stopping =
                new LinkedHashMap<>();
        // A thread each: every service gets its SIGTERM at the same moment.
        java.util.concurrent.ExecutorService threads =
                java.util.concurrent.Executors.newFixedThreadPool(services.size());
        try {
            services.forEach(
                    (name, s) ->
                            stopping.put(
                                    name,
                                    java.util.concurrent.CompletableFuture.supplyAsync(
                                            () -> s.terminate(limit), threads)));
            Map<String, Duration> took = new LinkedHashMap<>();
            stopping.forEach((name, f) -> took.put(name, f.join()));
            return took;
        } finally {
            threads.shutdownNow();
        }
    }

    /** Starts a stopped service again with the same configuration and waits until it is ready. */
    void restart(String name) {
        ServiceProcess old = services.get(name);
        // A second instance could not bind the port, yet the first one's readiness would pass
        // for it, and the first would outlive the suite (nothing would close it any more).
        if (old.isAlive()) {
            throw new IllegalStateException(name + " is still running: stop it first");
        }
        restart(name, old.port);
    }

    private void restart(String name, int port) {
        ServiceProcess fresh = process(name, port);
        services.put(name, fresh);
        fresh.start();
        await().atMost(Duration.ofSeconds(120))
                .failFast(name + " exited:\n" + fresh.logTail(40), () -> !fresh.isAlive())
                .until(fresh::isReady);
    }

    @Override
    public void close() {
        services.values().stream().filter(s -> s != null).forEach(ServiceProcess::close);
        if (airbyte != null) {
            airbyte.close();
        }
        infra.close();
        kafka.close();
        // Logs stay under target/ for a failed run's post-mortem; the data goes.
        deleteTree(workDir.resolve("infra"));
        deleteTree(workDir.resolve("dbt-runs"));
        deleteTree(workDir.resolve("apps"));
    }

    /** Removes what is left of the run (the logs), once nobody needs them. */
    void deleteWorkDir() {
        deleteTree(workDir);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("could not delete %s", dir);
        }
    }
}
