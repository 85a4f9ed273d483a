package io.tributary.e2e;

import static org.awaitility.Awaitility.await;

import io.tributary.local.Infrastructure;
import io.tributary.local.KafkaTopics;
import io.tributary.local.Ports;
import io.tributary.local.ServiceDatabase;
import io.tributary.sandbox.AirbyteSandbox;
import io.tributary.sandbox.SandboxAuth;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    static final String SERVICES[] = {
        "trigger-service", "sync-monitor-service", "transform-service", "notifier-service"
    };

    final Path repo =
            Path.of(System.getProperty("tributary.repo", "..")).toAbsolutePath().normalize();
    final Path workDir;
    final Infrastructure infra;
    final ServiceDatabase warehouse;
    final AirbyteSandbox airbyte;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> extraEnv = new HashMap<>();

    private Pipeline(Path workDir, Consumer<Map<String, Map<String, String>>> configure) {
        this.workDir = workDir;
        this.infra = Infrastructure.start(workDir.resolve("infra"));
        KafkaTopics.ensure(infra.kafkaBootstrapServers(), KafkaTopics.contractTopics(), 3);
        this.warehouse = infra.database("warehouse");
        for (String s : SERVICES) {
            services.put(s, null);
            extraEnv.put(s, new HashMap<>());
        }
        int monitorPort = Ports.free();
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
            int port = s.equals("sync-monitor-service") ? monitorPort : Ports.free();
            services.put(s, process(s, port));
        }
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
        env.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrapServers());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", db.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", db.password());
        env.put("TRIBUTARY_API_TOKENS_E2E_TOKEN", API_TOKEN);
        env.put("TRIBUTARY_API_TOKENS_E2E_SCOPE", "write");
        env.put("TRIBUTARY_MONITOR_AIRBYTE_BASE_URL", airbyte.baseUrl());
        env.put("TRIBUTARY_MONITOR_AIRBYTE_CLIENT_ID", "e2e-client");
        env.put("TRIBUTARY_MONITOR_AIRBYTE_CLIENT_SECRET", "e2e-secret-0123456789");
        env.put("TRIBUTARY_MONITOR_NOTIFICATION_SECRET", HINT_SECRET);
        env.putAll(extraEnv.get(service));
        return new ServiceProcess(
                service,
                repo.resolve(service).resolve("target/quarkus-app/quarkus-run.jar"),
                port,
                env,
                workDir.resolve("logs"));
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
        ServiceProcess fresh = process(name, old.port);
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
        // Logs stay under target/ for a failed run's post-mortem; the data goes.
        deleteTree(workDir.resolve("infra"));
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
