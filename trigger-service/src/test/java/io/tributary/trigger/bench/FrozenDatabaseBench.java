package io.tributary.trigger.bench;

import io.tributary.events.CloudEventKafka;
import io.tributary.events.SyncRequested;
import io.tributary.events.Topics;
import io.tributary.local.FrozenDatabase;
import io.tributary.local.Infrastructure;
import io.tributary.local.KafkaTopics;
import io.tributary.local.Ports;
import io.tributary.local.ServiceDatabase;
import io.tributary.local.StandardWebhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Webhook answers while PostgreSQL is frozen (issue 17; not a test): the packaged trigger-service
 * on embedded Kafka and PostgreSQL, C senders posting signed deliveries while the database is
 * stopped with SIGSTOP for F seconds. Prints the answer-time distribution by status against the
 * bound (publish timeout + 2 s), then retries every unaccepted delivery after the thaw, as a sender
 * would, and checks each accepted delivery is on the topic exactly once.
 *
 * <p>Usage: {@code trigger-service/bench/frozen-db.sh [senders=16] [freeze seconds=20]}
 */
public final class FrozenDatabaseBench {
    private static final String TOKEN = "bench-write-token-0123456789";
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);

    private record Answer(int status, long millis) {}

    public static void main(String[] args) throws Exception {
        int senders = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int freezeSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path jar = Path.of(args.length > 2 ? args[2] : "target/quarkus-app/quarkus-run.jar");
        Path dir = Files.createTempDirectory(Path.of("target"), "frozen-");
        String secret = StandardWebhooks.newSecret();
        String hookId = "frozen-" + UUID.randomUUID();
        String connection = UUID.randomUUID().toString();
        Target trigger = null;
        int exit;
        try (Infrastructure infra = Infrastructure.start(dir)) {
            KafkaTopics.ensure(infra.kafkaBootstrapServers(), KafkaTopics.contractTopics(), 3);
            ServiceDatabase db = infra.database("trigger-service");
            Map<String, String> env = new HashMap<>();
            env.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
            env.put("QUARKUS_DATASOURCE_USERNAME", db.username());
            env.put("QUARKUS_DATASOURCE_PASSWORD", db.password());
            env.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrapServers());
            env.put("TRIBUTARY_API_TOKENS_BENCH_TOKEN", TOKEN);
            env.put("TRIBUTARY_API_TOKENS_BENCH_SCOPE", "write");
            env.put("TRIBUTARY_TRIGGER_PUBLISH_TIMEOUT", PUBLISH_TIMEOUT.toSeconds() + "s");
            env.put("QUARKUS_LOG_CATEGORY__IO_TRIBUTARY__LEVEL", "WARN");
            trigger =
                    Target.start(
                            new Target.Spec(
                                    "A",
                                    "trigger-service",
                                    jar,
                                    env,
                                    "/webhooks/" + hookId,
                                    Topics.SYNC_REQUESTS,
                                    r ->
                                            connection.equals(r.key())
                                                    ? CloudEventKafka.read(r)
                                                            .toOptional()
                                                            .map(e -> e.data(SyncRequested.class))
                                                            .map(s -> s.trigger().detail())
                                                            .orElse(null)
                                                    : null),
                            List.of("-Xmx256m"),
                            Ports.free());
            HttpClient http = HttpClient.newHttpClient();
            trigger.awaitReady(http, Duration.ofSeconds(180));
            createHook(http, trigger.base(), hookId, secret, connection);
            Sender sender = new Sender(http, trigger.url(), secret);
            for (int i = 0; i < 50; i++) {
                sender.send("A-warm-" + i);
            }

            Map<String, Answer> frozenAnswers = new ConcurrentHashMap<>();
            AtomicInteger next = new AtomicInteger();
            long end;
            try (FrozenDatabase frozen =
                    FrozenDatabase.freeze(db.jdbcUrl(), db.username(), db.password())) {
                end = System.nanoTime() + Duration.ofSeconds(freezeSeconds).toNanos();
                ExecutorService pool = Executors.newFixedThreadPool(senders);
                for (int s = 0; s < senders; s++) {
                    pool.execute(
                            () -> {
                                while (System.nanoTime() < end) {
                                    String id = "A-frozen-" + next.incrementAndGet();
                                    frozenAnswers.put(id, sender.send(id));
                                }
                            });
                }
                pool.shutdown();
                pool.awaitTermination(freezeSeconds + 60L, TimeUnit.SECONDS);
            }
            report(frozenAnswers, PUBLISH_TIMEOUT.plusSeconds(2), freezeSeconds, senders);

            // After the thaw every sender retries what was not accepted, until a 2xx.
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            frozenAnswers.forEach(
                    (id, a) -> {
                        if (a.status() / 100 == 2) {
                            accepted.add(id);
                        }
                    });
            for (int i = 0; i < 50; i++) {
                accepted.add("A-warm-" + i);
            }
            long retryUntil = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            List<String> pending = new ArrayList<>(frozenAnswers.keySet());
            pending.removeAll(accepted);
            int retries = 0;
            while (!pending.isEmpty() && System.nanoTime() < retryUntil) {
                List<String> still = new ArrayList<>();
                for (String id : pending) {
                    retries++;
                    if (sender.send(id).status() / 100 == 2) {
                        accepted.add(id);
                    } else {
                        still.add(id);
                    }
                }
                pending = still;
            }
            System.out.printf(
                    "after the thaw: %d retries, %d deliveries still not accepted%n",
                    retries, pending.size());
            Delivered delivered = Delivered.check(infra.kafkaBootstrapServers(), trigger, accepted);
            System.out.println("on " + Topics.SYNC_REQUESTS + ": " + delivered);
            exit = delivered.ok() && pending.isEmpty() ? 0 : 3;
        } finally {
            if (trigger != null) {
                trigger.stop();
            }
        }
        System.exit(exit);
    }

    private static void report(
            Map<String, Answer> answers, Duration bound, int freezeSeconds, int senders) {
        Map<Integer, List<Long>> byStatus = new TreeMap<>();
        answers.values()
                .forEach(
                        a ->
                                byStatus.computeIfAbsent(a.status(), s -> new ArrayList<>())
                                        .add(a.millis()));
        System.out.printf(
                "# %s: PostgreSQL frozen (SIGSTOP) %d s, %d senders, publish timeout %d s, bound"
                        + " %d ms, load average %s%n",
                Instant.now(),
                freezeSeconds,
                senders,
                PUBLISH_TIMEOUT.toSeconds(),
                bound.toMillis(),
                loadAverage());
        System.out.println("| status | answers | min ms | p50 | p90 | p99 | max ms |");
        System.out.println("|---|---|---|---|---|---|---|");
        long worst = 0;
        for (var e : byStatus.entrySet()) {
            List<Long> ms = e.getValue();
            Collections.sort(ms);
            worst = Math.max(worst, ms.get(ms.size() - 1));
            System.out.printf(
                    "| %s | %d | %d | %d | %d | %d | %d |%n",
                    e.getKey() < 0 ? "no answer" : e.getKey(),
                    ms.size(),
                    ms.get(0),
                    at(ms, 0.5),
                    at(ms, 0.9),
                    at(ms, 0.99),
                    ms.get(ms.size() - 1));
        }
        System.out.printf(
                "max answer time %d ms: %s the bound of %d ms%n",
                worst, worst <= bound.toMillis() ? "within" : "ABOVE", bound.toMillis());
    }

    private static long at(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static void createHook(
            HttpClient http, String base, String hookId, String secret, String connection)
            throws Exception {
        String body =
                "{\"id\":\""
                        + hookId
                        + "\",\"scheme\":\"standard-webhooks\",\"secrets\":[\""
                        + secret
                        + "\"],\"connectionIds\":[\""
                        + connection
                        + "\"]}";
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/hooks"))
                                .header("Authorization", "Bearer " + TOKEN)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("cannot create the hook: " + r.statusCode());
        }
    }

    /** Signed deliveries; an answer that does not come within 60 s is status -1. */
    private record Sender(HttpClient http, String url, String secret) {
        Answer send(String id) {
            byte[] body = ("{\"delivery\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
            long ts = Instant.now().getEpochSecond();
            long start = System.nanoTime();
            int status;
            try {
                status =
                        http.send(
                                        HttpRequest.newBuilder(URI.create(url))
                                                .timeout(Duration.ofSeconds(60))
                                                .header("Content-Type", "application/json")
                                                .header("webhook-id", id)
                                                .header("webhook-timestamp", Long.toString(ts))
                                                .header(
                                                        "webhook-signature",
                                                        StandardWebhooks.signature(
                                                                secret, id, ts, body))
                                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode();
            } catch (Exception e) {
                status = -1;
            }
            return new Answer(status, (System.nanoTime() - start) / 1_000_000);
        }
    }
}
