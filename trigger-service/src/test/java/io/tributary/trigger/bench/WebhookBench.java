package io.tributary.trigger.bench;

import io.tributary.events.CloudEventKafka;
import io.tributary.events.SyncRequested;
import io.tributary.events.Topics;
import io.tributary.local.Infrastructure;
import io.tributary.local.KafkaTopics;
import io.tributary.local.Ports;
import io.tributary.local.ServiceDatabase;
import io.tributary.local.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed-webhook ingest benchmark (not a test): starts the embedded Kafka and PostgreSQL, runs the
 * packaged trigger-service as a child process, sends {@code requests} Standard Webhooks deliveries
 * from {@code concurrency} threads, and prints requests/s, p50/p99 latency and the number of events
 * found on the topic afterwards (it must equal the number of 202 answers). Run with bench/bench.sh.
 */
public final class WebhookBench {
    private static final String TOKEN = "bench-write-token-0123456789";

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        Path jar = Path.of(args.length > 2 ? args[2] : "target/quarkus-app/quarkus-run.jar");
        Path dir = Files.createTempDirectory(Path.of("target"), "bench-");
        try (Infrastructure infra = Infrastructure.start(dir)) {
            KafkaTopics.ensure(infra.kafkaBootstrapServers(), KafkaTopics.contractTopics(), 3);
            ServiceDatabase db = infra.database("trigger-service");
            int port = Ports.free();
            ProcessBuilder pb =
                    new ProcessBuilder("java", "-jar", jar.toString())
                            .redirectErrorStream(true)
                            .redirectOutput(Path.of("target/bench-trigger-service.log").toFile());
            Map<String, String> env = pb.environment();
            env.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrapServers());
            env.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
            env.put("QUARKUS_DATASOURCE_USERNAME", db.username());
            env.put("QUARKUS_DATASOURCE_PASSWORD", db.password());
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
            env.put("QUARKUS_LOG_CATEGORY__IO_TRIBUTARY__LEVEL", "WARN");
            env.put("TRIBUTARY_API_TOKENS_BENCH_TOKEN", TOKEN);
            env.put("TRIBUTARY_API_TOKENS_BENCH_SCOPE", "write");
            Process service = pb.start();
            try {
                run(infra, "http://127.0.0.1:" + port, requests, concurrency);
            } finally {
                service.destroy();
                service.waitFor();
            }
        }
        // The HTTP client's worker threads are not daemons.
        System.exit(0);
    }

    static void run(Infrastructure infra, String base, int total, int concurrency)
            throws Exception {
        HttpClient http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .executor(Executors.newFixedThreadPool(concurrency))
                        .build();
        waitUntilReady(http, base);
        String connection = UUID.randomUUID().toString();
        String hookId = "bench-" + UUID.randomUUID();
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        String hook =
                "{\"id\":\""
                        + hookId
                        + "\",\"scheme\":\"standard-webhooks\",\"secrets\":[\""
                        + secret
                        + "\"],\"connectionIds\":[\""
                        + connection
                        + "\"]}";
        HttpResponse<String> created =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/hooks"))
                                .header("Authorization", "Bearer " + TOKEN)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(hook))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("hook not created: " + created.body());
        }
        // Warm-up (not measured): JIT, connection pools, producer metadata.
        fire(http, base, hookId, key, Math.min(500, total / 5), concurrency, "warm");

        long start = System.nanoTime();
        Result result = fire(http, base, hookId, key, total, concurrency, "run");
        double seconds = (System.nanoTime() - start) / 1e9;

        List<Long> latencies = new ArrayList<>(result.latenciesMicros);
        Collections.sort(latencies);
        int accepted = result.statuses.getOrDefault(202, new AtomicInteger()).get();
        long onTopic;
        try (TopicReader reader =
                new TopicReader(infra.kafkaBootstrapServers(), Topics.SYNC_REQUESTS)) {
            int expected = accepted + warmCount;
            onTopic =
                    reader
                            .await(
                                    r -> connection.equals(r.key()),
                                    expected,
                                    Duration.ofSeconds(60))
                            .stream()
                            .map(r -> CloudEventKafka.read(r).toOptional().orElseThrow())
                            .map(e -> e.data(SyncRequested.class).trigger().detail())
                            .filter(d -> d.startsWith("run-"))
                            .distinct()
                            .count();
        }
        System.out.printf(
                "signed webhooks (standard-webhooks, acks=all): %d requests, %d concurrent, %.1f s%n",
                total, concurrency, seconds);
        System.out.printf("  throughput: %.0f requests/s%n", total / seconds);
        System.out.printf(
                "  latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                pct(latencies, 50) / 1000.0,
                pct(latencies, 99) / 1000.0,
                latencies.get(latencies.size() - 1) / 1000.0);
        System.out.printf("  answers: %s%n", result.statuses);
        System.out.printf(
                "  events on %s for the run: %d (202 answers: %d) → %s%n",
                Topics.SYNC_REQUESTS,
                onTopic,
                accepted,
                onTopic == accepted ? "EQUAL" : "DIFFERENT");
    }

    static int warmCount;

    record Result(Map<Integer, AtomicInteger> statuses, List<Long> latenciesMicros) {}

    static Result fire(
            HttpClient http,
            String base,
            String hookId,
            byte[] key,
            int count,
            int concurrency,
            String prefix)
            throws Exception {
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>(count));
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        for (int t = 0; t < concurrency; t++) {
            pool.submit(
                    () -> {
                        int i;
                        while ((i = next.getAndIncrement()) < count) {
                            String id = prefix + "-" + i;
                            String body = "{\"type\":\"bench.event\",\"n\":" + i + "}";
                            long ts = System.currentTimeMillis() / 1000;
                            HttpRequest request =
                                    HttpRequest.newBuilder(URI.create(base + "/webhooks/" + hookId))
                                            .header("Content-Type", "application/json")
                                            .header("webhook-id", id)
                                            .header("webhook-timestamp", Long.toString(ts))
                                            .header("webhook-signature", sign(key, id, ts, body))
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build();
                            long begin = System.nanoTime();
                            int status;
                            try {
                                status =
                                        http.send(request, HttpResponse.BodyHandlers.discarding())
                                                .statusCode();
                            } catch (Exception e) {
                                status = -1;
                            }
                            latencies.add((System.nanoTime() - begin) / 1000);
                            statuses.computeIfAbsent(status, s -> new AtomicInteger())
                                    .incrementAndGet();
                        }
                        return null;
                    });
        }
        pool.shutdown();
        pool.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS);
        if (prefix.equals("warm")) {
            warmCount = statuses.getOrDefault(202, new AtomicInteger()).get();
        }
        return new Result(statuses, latencies);
    }

    static String sign(byte[] key, String id, long ts, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return "v1,"
                    + Base64.getEncoder()
                            .encodeToString(
                                    mac.doFinal(
                                            (id + "." + ts + "." + body)
                                                    .getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long pct(List<Long> sorted, int p) {
        return sorted.get(
                Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static void waitUntilReady(HttpClient http, String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(
                "trigger-service did not become ready; see target/bench-trigger-service.log");
    }
}
