package io.tributary.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import io.tributary.events.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pipeline log as ./tributary dev runs it: following a real broker, printing to a stream. */
class PipelineLogFollowTest {
    static EmbeddedKafka kafka;
    static Thread follower;
    static final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    static final String SECRET = StandardWebhooks.newSecret();
    static int receiverPort;

    @BeforeAll
    static void start() throws IOException {
        Files.createDirectories(Path.of("target"));
        kafka = new EmbeddedKafka(Files.createTempDirectory(Path.of("target"), "follow-"), 0);
        kafka.start();
        KafkaTopics.ensure(kafka.bootstrapServers(), Topics.ALL, 1);
        receiverPort = Ports.free();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        follower =
                new Thread(
                        () -> {
                            try {
                                PipelineLog.follow(
                                        kafka.bootstrapServers(), receiverPort, SECRET, out);
                            } catch (IOException | RuntimeException e) {
                                e.printStackTrace(out); // interrupted at the end, or a failure
                            }
                        },
                        "pipeline-log-test");
        follower.setDaemon(true);
        follower.start();
    }

    @AfterAll
    static void stop() {
        follower.interrupt();
        kafka.close();
    }

    @Test
    void printsEachEventFromTheBrokerAndEachWebhookTheReceiverGets() throws Exception {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            // The log starts at the latest offsets: publish until its consumer has joined.
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> {
                                producer.send(
                                                CloudEventKafka.record(
                                                        EventType.SYNC_STARTED,
                                                        "id-" + System.nanoTime(),
                                                        "c0ffee00-0000-4000-8000-000000000009",
                                                        Map.of(
                                                                "connectionId",
                                                                "c0ffee00-0000-4000-8000-000000000009",
                                                                "jobId",
                                                                42),
                                                        "/test",
                                                        Instant.now(),
                                                        null))
                                        .get();
                                return printed().contains("sync.started");
                            });
        }
        assertThat(printed()).contains("c0ffee00-0000-4000-8000-000000000009").contains("job 42");

        byte[] body = "{\"type\":\"io.tributary.sync.started\"}".getBytes(StandardCharsets.UTF_8);
        // One timestamp for the signature and the header: read twice, a second could pass between.
        long at = now();
        assertThat(deliver(at, StandardWebhooks.signature(SECRET, "msg_1", at, body), body))
                .isEqualTo(204);
        assertThat(deliver(at, StandardWebhooks.signature(SECRET, "msg_1", at - 600, body), body))
                .as("a signature that does not match")
                .isEqualTo(401);
        assertThat(printed())
                .contains("subscriber received io.tributary.sync.started (signature ok)")
                .contains("subscriber received io.tributary.sync.started (BAD SIGNATURE)");
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private static int deliver(long timestamp, String signature, byte[] body) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiverPort + "/x"))
                        .header("webhook-id", "msg_1")
                        .header("webhook-timestamp", Long.toString(timestamp))
                        .header("webhook-signature", signature)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
        return HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
