package io.tributary.monitor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import io.tributary.events.JobType;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncRequested;
import io.tributary.events.Topics;
import io.tributary.events.Trigger;
import io.tributary.events.TriggerKind;
import io.tributary.local.Infrastructure;
import io.tributary.local.KafkaTopics;
import io.tributary.local.Ports;
import io.tributary.local.ServiceDatabase;
import io.tributary.local.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Burst benchmark (not a test): N sync requests for N connections at once, against the standalone
 * Airbyte sandbox (a child process) and the packaged sync-monitor-service (a child process) on the
 * embedded Kafka and PostgreSQL, with the monitor's default settings (100 Airbyte calls/s, 4
 * workers per lane). Every 10 s it samples the sandbox's call counters and the events published; it
 * prints the Airbyte calls per minute by endpoint, the jobs started and endings published, and
 * every 10 s window with no Airbyte call while requests still waited. Run with bench/burst.sh.
 */
public final class BurstBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT_ID = "bench-client";
    private static final String CLIENT_SECRET = "bench-secret-0123456789";
    private static final String HINT_SECRET = "bench-hint-secret";
    private static final Duration SAMPLE = Duration.ofSeconds(10);

    private record Sample(
            long second, Map<String, Long> calls, int started, int ended, int jobsInSandbox) {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path sandboxJar = Path.of(args[1]);
        Path monitorJar = Path.of(args[2]);
        int jobSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        Duration limit = Duration.ofMinutes(args.length > 4 ? Integer.parseInt(args[4]) : 15);
        Path dir = Files.createTempDirectory(Path.of("target"), "burst-");
        List<Process> children = new ArrayList<>();
        try (Infrastructure infra = Infrastructure.start(dir)) {
            KafkaTopics.ensure(infra.kafkaBootstrapServers(), KafkaTopics.contractTopics(), 3);
            int sandboxPort = Ports.free();
            int monitorPort = Ports.free();
            children.add(startSandbox(sandboxJar, sandboxPort, monitorPort));
            String admin = "http://127.0.0.1:" + sandboxPort + "/sandbox";
            HttpClient http = HttpClient.newHttpClient();
            waitFor(http, "http://127.0.0.1:" + sandboxPort + "/api/public/v1/health");
            List<String> connections = addConnections(http, admin, n, jobSeconds);
            children.add(startMonitor(monitorJar, infra, sandboxPort, monitorPort));
            waitFor(http, "http://127.0.0.1:" + monitorPort + "/q/health/ready");
            send(http, admin, "DELETE", "/counters", null);
            run(infra, http, admin, connections, jobSeconds, limit);
        } finally {
            for (Process p : children) {
                p.destroy();
                p.waitFor();
            }
        }
        System.exit(0); // the HTTP client's threads are not daemons
    }

    private static void run(
            Infrastructure infra,
            HttpClient http,
            String admin,
            List<String> connections,
            int jobSeconds,
            Duration limit)
            throws Exception {
        int n = connections.size();
        Instant start = Instant.now();
        try (KafkaProducer<String, byte[]> producer = producer(infra);
                TopicReader events =
                        new TopicReader(infra.kafkaBootstrapServers(), Topics.SYNC_EVENTS)) {
            List<Future<?>> acks = new ArrayList<>();
            for (String conn : connections) {
                acks.add(producer.send(request(conn)));
            }
            for (Future<?> ack : acks) {
                ack.get();
            }
            System.out.printf(
                    "%d sync requests for %d connections sent (acks=all) in %.1f s; jobs take %d s%n",
                    n, n, Duration.between(start, Instant.now()).toMillis() / 1000.0, jobSeconds);
            List<Sample> samples = new ArrayList<>();
            Map<String, Long> before = new HashMap<>();
            Instant allStarted = null;
            while (Duration.between(start, Instant.now()).compareTo(limit) < 0) {
                List<ConsumerRecord<String, byte[]>> seen = events.drain(r -> true, SAMPLE);
                Set<String> started = new HashSet<>();
                Set<String> ended = new HashSet<>();
                for (ConsumerRecord<String, byte[]> r : seen) {
                    ReceivedEvent e = CloudEventKafka.read(r).toOptional().orElse(null);
                    if (e == null || e.eventType().isEmpty()) {
                        continue;
                    }
                    if (e.is(EventType.SYNC_STARTED)) {
                        started.add(r.key());
                    } else if (e.eventType().get().isTerminal()) {
                        ended.add(r.key());
                    }
                }
                Map<String, Long> counters = counters(http, admin);
                Map<String, Long> delta = new TreeMap<>();
                counters.forEach(
                        (k, v) -> {
                            long d = v - before.getOrDefault(k, 0L);
                            if (d > 0) {
                                delta.merge(k.substring(0, k.lastIndexOf(' ')), d, Long::sum);
                            }
                        });
                before.putAll(counters);
                long second = Duration.between(start, Instant.now()).toSeconds();
                int inSandbox = (int) (long) counters.getOrDefault("POST /jobs 200", 0L);
                samples.add(new Sample(second, delta, started.size(), ended.size(), inSandbox));
                System.out.printf(
                        "  t=%4d s  calls %5d  jobs created %5d  sync.started %5d  endings %5d%n",
                        second,
                        delta.values().stream().mapToLong(Long::longValue).sum(),
                        inSandbox,
                        started.size(),
                        ended.size());
                if (allStarted == null && started.size() == n) {
                    allStarted = Instant.now();
                }
                if (ended.size() == n) {
                    break;
                }
            }
            report(samples, n, start, allStarted);
        }
    }

    private static void report(List<Sample> samples, int n, Instant start, Instant allStarted) {
        System.out.println();
        System.out.println("Airbyte calls per minute (sandbox counters), cumulative progress:");
        Map<Long, Map<String, Long>> perMinute = new TreeMap<>();
        Map<Long, Sample> lastOfMinute = new TreeMap<>();
        for (Sample s : samples) {
            long minute = (s.second() - 1) / 60;
            Map<String, Long> calls = perMinute.computeIfAbsent(minute, m -> new TreeMap<>());
            s.calls().forEach((k, v) -> calls.merge(k, v, Long::sum));
            lastOfMinute.put(minute, s);
        }
        perMinute.forEach(
                (minute, calls) -> {
                    Sample last = lastOfMinute.get(minute);
                    long total = calls.values().stream().mapToLong(Long::longValue).sum();
                    System.out.printf(
                            "  minute %2d: %6d calls %s | jobs created %d, sync.started %d,"
                                    + " endings %d%n",
                            minute + 1,
                            total,
                            calls,
                            last.jobsInSandbox(),
                            last.started(),
                            last.ended());
                });
        List<Long> idle = new ArrayList<>();
        for (Sample s : samples) {
            boolean waiting = s.started() < n || s.ended() < n;
            if (waiting && s.calls().isEmpty()) {
                idle.add(s.second());
            }
        }
        System.out.printf(
                "10 s windows without any Airbyte call while requests or jobs waited: %s%n",
                idle.isEmpty() ? "none" : idle + " (seconds since the burst)");
        Sample last = samples.get(samples.size() - 1);
        System.out.printf(
                "all %d started: %s; endings published: %d of %d after %d s%n",
                n,
                allStarted == null
                        ? "NO (" + last.started() + ")"
                        : Duration.between(start, allStarted).toSeconds() + " s",
                last.ended(),
                n,
                last.second());
    }

    private static KafkaProducer<String, byte[]> producer(Infrastructure infra) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        infra.kafkaBootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    private static org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> request(
            String conn) {
        String id = UUID.randomUUID().toString();
        SyncRequested r =
                new SyncRequested(
                        id,
                        conn,
                        JobType.SYNC,
                        Instant.now().truncatedTo(ChronoUnit.MILLIS),
                        new Trigger(TriggerKind.MANUAL, "burst-bench", null),
                        id);
        return CloudEventKafka.record(EventType.SYNC_REQUESTED, id, conn, r, "/bench");
    }

    private static Process startSandbox(Path jar, int port, int monitorPort) throws Exception {
        return new ProcessBuilder(
                        "java",
                        "-Xmx256m",
                        "-jar",
                        jar.toString(),
                        "--port=" + port,
                        "--host=127.0.0.1",
                        "--auth=client-credentials",
                        "--client-id=" + CLIENT_ID,
                        "--client-secret=" + CLIENT_SECRET,
                        "--time-compression=1",
                        "--webhook-url=http://127.0.0.1:"
                                + monitorPort
                                + "/airbyte/notifications/"
                                + HINT_SECRET)
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target/burst-sandbox.log").toFile())
                .start();
    }

    private static Process startMonitor(
            Path jar, Infrastructure infra, int sandboxPort, int monitorPort) throws Exception {
        ServiceDatabase db = infra.database("sync-monitor-service");
        ProcessBuilder pb =
                new ProcessBuilder("java", "-jar", jar.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(Path.of("target/burst-sync-monitor.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrapServers());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", db.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", db.password());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(monitorPort));
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        env.put(
                "TRIBUTARY_MONITOR_AIRBYTE_BASE_URL",
                "http://127.0.0.1:" + sandboxPort + "/api/public/v1");
        env.put("TRIBUTARY_MONITOR_AIRBYTE_CLIENT_ID", CLIENT_ID);
        env.put("TRIBUTARY_MONITOR_AIRBYTE_CLIENT_SECRET", CLIENT_SECRET);
        env.put("TRIBUTARY_MONITOR_NOTIFICATION_SECRET", HINT_SECRET);
        return pb.start();
    }

    private static List<String> addConnections(HttpClient http, String admin, int n, int jobSeconds)
            throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String body =
                    "{\"name\":\"burst "
                            + i
                            + "\",\"script\":{\"outcome\":\"succeed\",\"after\":"
                            + jobSeconds
                            + ",\"rows\":"
                            + (i + 1)
                            + "}}";
            ids.add(send(http, admin, "POST", "/connections", body).get("connectionId").asText());
        }
        return ids;
    }

    private static Map<String, Long> counters(HttpClient http, String admin) throws Exception {
        Map<String, Long> counts = new HashMap<>();
        send(http, admin, "GET", "/counters", null)
                .fields()
                .forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }

    private static JsonNode send(
            HttpClient http, String base, String method, String path, String body)
            throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode());
        }
        return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    private static void waitFor(HttpClient http, String url) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create(url)).build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not up yet
            }
            Thread.sleep(250); // polling a child process that reports nothing else
        }
        throw new IllegalStateException(url + " not ready after 2 minutes");
    }
}
