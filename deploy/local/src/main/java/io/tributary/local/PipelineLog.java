package io.tributary.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventJson;
import io.tributary.events.Parsed;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A compact, human-readable log of a local pipeline: one line per event on the four topics, and,
 * with {@code --receiver-port}, a subscriber endpoint that prints each signed webhook it receives
 * and whether its Standard Webhooks signature checks out.
 *
 * <p>Usage: {@code PipelineLog --kafka HOST:PORT [--receiver-port N --receiver-secret whsec_…]}.
 * {@code ./tributary dev} runs it inside {@link LocalStack}'s JVM instead (one JVM less).
 */
public final class PipelineLog {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private PipelineLog() {}

    public static void main(String[] args) throws Exception {
        String kafka = null;
        int receiverPort = 0;
        String receiverSecret = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--kafka" -> kafka = args[++i];
                case "--receiver-port" -> receiverPort = Integer.parseInt(args[++i]);
                case "--receiver-secret" -> receiverSecret = args[++i];
                default -> {
                    System.err.println(
                            "usage: PipelineLog --kafka HOST:PORT [--receiver-port N"
                                    + " --receiver-secret whsec_...]");
                    System.exit(2);
                }
            }
        }
        if (kafka == null) {
            System.err.println("--kafka is required");
            System.exit(2);
        }
        follow(kafka, receiverPort, receiverSecret, System.out);
    }

    /**
     * Prints one line per event to {@code out} until the thread is interrupted or the JVM stops;
     * with a receiver port, also the subscriber endpoint's line per webhook it receives.
     */
    static void follow(String kafka, int receiverPort, String receiverSecret, PrintStream out)
            throws IOException {
        if (receiverPort > 0) {
            receiver(receiverPort, receiverSecret, out);
        }
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka,
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "pipeline-log-" + UUID.randomUUID(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "latest",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false),
                        new StringDeserializer(),
                        new ByteArrayDeserializer())) {
            consumer.subscribe(Topics.ALL);
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> rec : consumer.poll(Duration.ofMillis(500))) {
                    out.println(line(rec));
                }
            }
        }
    }

    /** One line for one record, e.g. {@code 10:00:05 sync.succeeded c0ffee00… job 3, 120 rows}. */
    static String line(ConsumerRecord<String, byte[]> rec) {
        Parsed parsed = CloudEventKafka.read(rec);
        if (!(parsed instanceof Parsed.Ok ok)) {
            return TIME.format(Instant.ofEpochMilli(rec.timestamp()))
                    + " "
                    + rec.topic()
                    + " unreadable record: "
                    + ((Parsed.Invalid) parsed).reason();
        }
        return describe(ok.event());
    }

    static String describe(ReceivedEvent e) {
        String type = e.type().replaceFirst("^io\\.tributary\\.", "");
        JsonNode d = e.data();
        String what;
        if (type.equals("sync.requested")) {
            JsonNode t = d.path("trigger");
            what =
                    d.path("jobType").asText("sync")
                            + " by "
                            + t.path("kind").asText()
                            + " "
                            + t.path("id").asText();
        } else if (type.startsWith("sync.")) {
            what = "job " + d.path("jobId").asText();
            if (d.has("rowsSynced") && !type.equals("sync.started")) {
                what += ", " + d.path("rowsSynced").asLong() + " rows";
            }
            if (d.has("duration")) {
                what += ", " + d.path("duration").asText();
            }
            if (d.hasNonNull("reason")) {
                what += ", " + d.path("reason").asText() + ": " + d.path("message").asText();
            }
        } else if (type.startsWith("transform.")) {
            what = "dbt " + d.path("command").asText() + " run " + d.path("runId").asText();
            JsonNode s = d.path("summary");
            if (!type.equals("transform.started") && s.isObject()) {
                what +=
                        String.format(
                                ", %d ok, %d error, %d skipped, %d pass, %d fail",
                                s.path("success").asInt(),
                                s.path("error").asInt(),
                                s.path("skipped").asInt(),
                                s.path("pass").asInt(),
                                s.path("fail").asInt());
            }
            for (JsonNode f : d.path("failures")) {
                what += "\n           ✗ " + f.path("uniqueId").asText();
            }
        } else if (type.startsWith("notification.")) {
            what =
                    d.path("channel").asText()
                            + " after "
                            + d.path("attempts").asInt()
                            + " attempt(s): "
                            + d.path("message").asText("");
        } else {
            what = "";
        }
        String subject = e.key() == null ? "" : e.key();
        return String.format(
                "%s %-22s %-38s %s",
                TIME.format(e.time() == null ? Instant.now() : e.time()), type, subject, what);
    }

    private static void receiver(int port, String secret, PrintStream out) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext(
                "/",
                exchange -> {
                    try (exchange) {
                        byte[] body = exchange.getRequestBody().readAllBytes();
                        var h = exchange.getRequestHeaders();
                        boolean ok = StandardWebhooks.verify(secret, h::getFirst, body);
                        String type;
                        try {
                            type = EventJson.mapper().readTree(body).path("type").asText();
                        } catch (IOException e) {
                            type = "(not JSON)";
                        }
                        out.printf(
                                "%s ↳ subscriber received %s (%s)%n",
                                TIME.format(Instant.now()),
                                type,
                                ok ? "signature ok" : "BAD SIGNATURE");
                        exchange.sendResponseHeaders(ok ? 204 : 401, -1);
                    }
                });
        server.start();
    }
}
