package io.tributary.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.events.EventIds;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncStarted;
import io.tributary.events.SyncStatus;
import io.tributary.local.Infrastructure;
import io.tributary.local.KafkaTopics;
import io.tributary.local.ServiceDatabase;
import io.tributary.sandbox.AirbyteSandbox;
import io.tributary.sandbox.ConnectionScript;
import io.tributary.sandbox.SandboxAuth;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) is killed ({@code kill -9})
 * while a job runs, then started again on the same database and Kafka: the job ends with exactly
 * one ending event and no second Airbyte job.
 */
class RestartIT {
    static Infrastructure infra;
    static AirbyteSandbox sandbox;
    static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(Path.of("target"));
        dataDir = Files.createTempDirectory(Path.of("target"), "restart-it-");
        infra = Infrastructure.start(dataDir);
        KafkaTopics.ensure(infra.kafkaBootstrapServers(), KafkaTopics.contractTopics(), 3);
        sandbox =
                AirbyteSandbox.builder()
                        .port(0)
                        .auth(SandboxAuth.clientCredentials("it-client", "it-secret"))
                        .tokenLifetime(Duration.ofSeconds(5))
                        .timeCompression(10)
                        .build()
                        .start();
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    void aServiceKilledMidJobEndsItExactlyOnceAfterItsRestart() throws Exception {
        UUID conn =
                sandbox.addConnection(
                        "restart → postgres",
                        ConnectionScript.succeedAfter(Duration.ofSeconds(150), 77));
        try (Monitor monitor = new Monitor(infra.kafkaBootstrapServers(), false)) {
            Process first = launch();
            try {
                monitor.request(conn);
                SyncStarted started =
                        Monitor.starts(monitor.events(conn, 1, Duration.ofSeconds(120))).get(0);
                assertThat(sandbox.job(started.jobId()).status().isTerminal()).isFalse();
                first.destroyForcibly().waitFor();
            } finally {
                first.destroyForcibly();
            }
            Process second = launch();
            try {
                List<ReceivedEvent> events = monitor.events(conn, 2, Duration.ofSeconds(120));
                SyncFinished ended = Monitor.endings(events).get(0);
                assertThat(ended.status()).isEqualTo(SyncStatus.SUCCEEDED);
                assertThat(ended.rowsSynced()).isEqualTo(77);
                assertThat(events.get(1).id())
                        .isEqualTo(EventIds.derive("sync.ended", String.valueOf(ended.jobId())));
                List<ReceivedEvent> all = monitor.drain(conn, Duration.ofSeconds(5));
                assertThat(Monitor.endings(all)).hasSize(1);
                assertThat(sandbox.jobs(conn)).hasSize(1);
            } finally {
                // Nothing is checked after this: a graceful stop would only cost its ~6 s.
                second.destroyForcibly();
                second.waitFor();
            }
        }
    }

    private static Process launch() throws Exception {
        ServiceDatabase db = infra.database("sync-monitor-service");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-Dquarkus.http.port=" + port);
        cmd.add("-Dkafka.bootstrap.servers=" + infra.kafkaBootstrapServers());
        cmd.add("-Dquarkus.datasource.jdbc.url=" + db.jdbcUrl());
        cmd.add("-Dquarkus.datasource.username=" + db.username());
        cmd.add("-Dquarkus.datasource.password=" + db.password());
        cmd.add("-Dtributary.monitor.airbyte.base-url=" + sandbox.baseUrl());
        cmd.add("-Dtributary.monitor.airbyte.client-id=it-client");
        cmd.add("-Dtributary.monitor.airbyte.client-secret=it-secret");
        cmd.add("-Dtributary.monitor.poll.min-interval=PT1S");
        cmd.add("-Dtributary.monitor.poll.max-interval=PT2S");
        cmd.add("-Dquarkus.log.console.json.enabled=false");
        cmd.add("-jar");
        cmd.add(Path.of("target", "quarkus-app", "quarkus-run.jar").toString());
        File log = dataDir.resolve("service-" + port + ".log").toFile();
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                        .start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(
                        () ->
                                http.send(
                                                        HttpRequest.newBuilder(
                                                                        URI.create(
                                                                                "http://127.0.0.1:"
                                                                                        + port
                                                                                        + "/q/health/ready"))
                                                                .build(),
                                                        HttpResponse.BodyHandlers.discarding())
                                                .statusCode()
                                        == 200);
        return p;
    }
}
