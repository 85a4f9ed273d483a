package io.tributary.trigger.bench;

import io.tributary.events.CloudEventKafka;
import io.tributary.events.SyncRequested;
import io.tributary.events.Topics;
import io.tributary.local.Infrastructure;
import io.tributary.local.KafkaTopics;
import io.tributary.local.Ports;
import io.tributary.local.ServiceDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Signed-webhook ingest benchmark (not a test), three servers side by side on one embedded Kafka
 * and PostgreSQL, each a child process with the same JVM options:
 *
 * <ul>
 *   <li>A: the packaged trigger-service, {@code POST /webhooks/{hookId}};
 *   <li>B: the reference app's {@code POST /ref/b/{hookId}} (signature check, Kafka acks=all, 202
 *       after the ack);
 *   <li>C: its {@code POST /ref/c/{hookId}} (B after one dedupe insert).
 * </ul>
 *
 * <p>Per connection count: a warm-up of each, then rounds in which every target takes the same
 * number of deliveries, the order rotating by one each round (A B C, B C A, C A B, ...). Prints per
 * target min/median/max of requests/s, p50 and p99, server and PostgreSQL CPU per request, the
 * ratios to B and C, and checks that every 202 has exactly one record on the target's topic. Lines
 * starting with {@code SUMMARY} are for bench/run.sh. Run with trigger-service/bench/bench.sh.
 */
public final class WebhookBench {
    private static final String TOKEN = "bench-write-token-0123456789";
    private static final String REFERENCE_TOPIC = "tributary.bench.reference";

    /** One target's burst in one round, with the CPU its server and PostgreSQL spent on it. */
    record Sample(
            String target, double seconds, Load.Result result, double serverCpu, double dbCpu) {
        int count() {
            return result.latenciesMicros().length;
        }

        double rps() {
            return count() / seconds;
        }

        double p50() {
            return result.pct(50) / 1000.0;
        }

        double p99() {
            return result.pct(99) / 1000.0;
        }

        double serverMsPerRequest() {
            return serverCpu * 1000 / count();
        }

        double dbMsPerRequest() {
            return dbCpu * 1000 / count();
        }
    }

    public static void main(String[] args) {
        int exit;
        try {
            exit = run(args);
        } catch (Exception | Error e) {
            e.printStackTrace();
            exit = 1;
        }
        // The HTTP clients' and the embedded broker's threads are not daemons.
        System.exit(exit);
    }

    /** The command line ({@code requests connections rounds trigger-jar reference-jar}) and env. */
    record Settings(
            int requests,
            List<Integer> levels,
            int rounds,
            Path triggerJar,
            Path referenceJar,
            String only,
            List<String> jvm,
            int warmup) {
        static Settings parse(String[] args) {
            int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
            Map<String, String> env = System.getenv();
            return new Settings(
                    requests,
                    Arrays.stream((args.length > 1 ? args[1] : "32,128").split("[, ]+"))
                            .map(Integer::parseInt)
                            .toList(),
                    args.length > 2 ? Integer.parseInt(args[2]) : 5,
                    Path.of(args.length > 3 ? args[3] : "target/quarkus-app/quarkus-run.jar"),
                    Path.of(
                            args.length > 4
                                    ? args[4]
                                    : "../bench/reference-app/target/quarkus-app/quarkus-run.jar"),
                    env.getOrDefault("BENCH_TARGETS", "ABC"),
                    List.of(env.getOrDefault("BENCH_JVM_OPTS", "-Xmx256m").trim().split("\\s+")),
                    Integer.parseInt(
                            env.getOrDefault(
                                    "BENCH_WARMUP",
                                    Integer.toString(Math.max(200, requests / 2)))));
        }
    }

    private static int run(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        Path dir = Files.createTempDirectory(Path.of("target"), "bench-");
        try {
            return measure(dir, settings);
        } finally {
            deleteTree(dir); // Kafka's and PostgreSQL's data: over 100 MB a run
        }
    }

    private static int measure(Path dir, Settings settings) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        String hookId = "bench-" + UUID.randomUUID();
        String connection = UUID.randomUUID().toString();
        List<Target> targets = new ArrayList<>();
        int exit = 0;
        try (Infrastructure infra = Infrastructure.start(dir)) {
            List<String> topics = new ArrayList<>(KafkaTopics.contractTopics());
            topics.add(REFERENCE_TOPIC);
            KafkaTopics.ensure(infra.kafkaBootstrapServers(), topics, 3);
            long postmaster = ProcCpu.postmaster(dir.getFileName().toString());
            for (Target.Spec spec :
                    specs(
                            infra,
                            settings.triggerJar(),
                            settings.referenceJar(),
                            secret,
                            hookId,
                            connection)) {
                if (settings.only().contains(spec.name())) {
                    targets.add(Target.start(spec, settings.jvm(), Ports.free()));
                }
            }
            HttpClient http = HttpClient.newHttpClient();
            for (Target t : targets) {
                t.awaitReady(http, Duration.ofSeconds(180));
                if (t.name.equals("A")) {
                    createHook(http, t.base(), TOKEN, hookId, secret, connection);
                }
            }
            printHeader(settings, targets);
            Map<String, Set<String>> accepted = new HashMap<>();
            Map<Integer, Map<String, List<Sample>>> byLevel = new TreeMap<>();
            for (int connections : settings.levels()) {
                byLevel.put(
                        connections,
                        level(targets, connections, settings, key, postmaster, accepted));
            }
            System.out.println();
            System.out.println("Every 202 exactly once on the target's topic (warm-ups included):");
            Map<String, Delivered> delivered = new LinkedHashMap<>();
            for (Target t : targets) {
                Delivered d =
                        Delivered.check(
                                infra.kafkaBootstrapServers(),
                                t,
                                accepted.getOrDefault(t.name, Set.of()));
                delivered.put(t.name, d);
                System.out.printf("  %s on %s: %s%n", t.name, t.topic, d);
                if (!d.ok()) {
                    exit = 3;
                }
            }
            summary(byLevel, delivered);
        } finally {
            for (Target t : targets) {
                t.stop();
            }
        }
        return exit;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static List<Target.Spec> specs(
            Infrastructure infra,
            Path triggerJar,
            Path referenceJar,
            String secret,
            String hookId,
            String connection) {
        Map<String, String> a = database(infra, "trigger-service");
        a.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrapServers());
        a.put("QUARKUS_LOG_CATEGORY__IO_TRIBUTARY__LEVEL", "WARN");
        a.put("TRIBUTARY_API_TOKENS_BENCH_TOKEN", TOKEN);
        a.put("TRIBUTARY_API_TOKENS_BENCH_SCOPE", "write");
        List<Target.Spec> specs = new ArrayList<>();
        specs.add(
                new Target.Spec(
                        "A",
                        "trigger-service",
                        triggerJar,
                        a,
                        "/webhooks/" + hookId,
                        Topics.SYNC_REQUESTS,
                        r ->
                                connection.equals(r.key())
                                        ? CloudEventKafka.read(r)
                                                .toOptional()
                                                .map(e -> e.data(SyncRequested.class))
                                                .map(s -> s.trigger().detail())
                                                .orElse(null)
                                        : null));
        for (String name : List.of("B", "C")) {
            // Each its own database: both create their table at start.
            Map<String, String> env = database(infra, "bench-reference-" + name.toLowerCase());
            env.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrapServers());
            env.put("REFERENCE_SECRET", secret);
            env.put("REFERENCE_TOPIC", REFERENCE_TOPIC);
            specs.add(
                    new Target.Spec(
                            name,
                            name.equals("B")
                                    ? "reference, no database"
                                    : "reference + dedupe insert",
                            referenceJar,
                            env,
                            "/ref/" + name.toLowerCase() + "/" + hookId,
                            REFERENCE_TOPIC,
                            WebhookBench::ceId));
        }
        return specs;
    }

    private static Map<String, String> database(Infrastructure infra, String service) {
        ServiceDatabase db = infra.database(service);
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", db.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", db.password());
        return env;
    }

    private static String ceId(ConsumerRecord<String, byte[]> r) {
        Header h = r.headers().lastHeader(CloudEventKafka.CE_ID);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Warm-up of every target, then the interleaved rounds; returns the samples by target. */
    private static Map<String, List<Sample>> level(
            List<Target> targets,
            int connections,
            Settings settings,
            byte[] key,
            long postmaster,
            Map<String, Set<String>> accepted)
            throws Exception {
        Load load = new Load(connections, key);
        for (Target t : targets) {
            Load.Result warm =
                    load.fire(t.url(), t.name + "-" + connections + "-w", settings.warmup());
            accepted.computeIfAbsent(t.name, n -> new HashSet<>()).addAll(warm.accepted());
        }
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        targets.forEach(t -> samples.put(t.name, new ArrayList<>()));
        for (int r = 0; r < settings.rounds(); r++) {
            StringBuilder order = new StringBuilder();
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get((r + i) % targets.size());
                Sample s =
                        burst(
                                load,
                                t,
                                t.name + "-" + connections + "-" + r,
                                settings.requests(),
                                postmaster);
                samples.get(t.name).add(s);
                accepted.get(t.name).addAll(s.result().accepted());
                order.append(
                        String.format(
                                " %s %.0f/s p99 %.0f ms%s;",
                                t.name,
                                s.rps(),
                                s.p99(),
                                s.result().statuses().keySet().equals(Set.of(202))
                                        ? ""
                                        : " " + s.result().statuses()));
            }
            System.out.printf("# %d connections, round %d:%s%n", connections, r + 1, order);
        }
        report(connections, samples);
        return samples;
    }

    private static Sample burst(Load load, Target t, String prefix, int count, long postmaster)
            throws InterruptedException {
        double cpu0 = t.cpuSeconds();
        double db0 = postmaster > 0 ? ProcCpu.tree(postmaster) : Double.NaN;
        long begin = System.nanoTime();
        Load.Result result = load.fire(t.url(), prefix, count);
        double seconds = (System.nanoTime() - begin) / 1e9;
        double cpu = t.cpuSeconds() - cpu0;
        double db = postmaster > 0 ? ProcCpu.tree(postmaster) - db0 : Double.NaN;
        return new Sample(t.name, seconds, result, cpu, db);
    }

    /** A Standard Webhooks hook with one target connection, through the API (any bench here). */
    static void createHook(
            HttpClient http,
            String base,
            String token,
            String hookId,
            String secret,
            String connection)
            throws Exception {
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
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(hook))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("hook not created: " + created.body());
        }
    }

    private static void printHeader(Settings settings, List<Target> targets) {
        System.out.printf(
                "Signed-webhook ingest (Standard Webhooks, acks=all), %s: %d rounds × %d deliveries"
                        + " per target at %s connections, warm-up %d, JVM %s; %d CPUs, load average"
                        + " %.2f%n",
                java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                settings.rounds(),
                settings.requests(),
                settings.levels(),
                settings.warmup(),
                String.join(" ", settings.jvm()),
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        for (Target t : targets) {
            System.out.printf(
                    "  %s: %s  %s%n", t.name, t.what, t.url().replaceAll("/[^/]*$", "/…"));
        }
    }

    private static void report(int connections, Map<String, List<Sample>> samples) {
        System.out.println();
        System.out.printf(
                "%d connections (min / median / max over %d rounds)%n",
                connections, samples.values().iterator().next().size());
        System.out.printf(
                "  %-3s%-26s%-26s%-26s%-12s%-10s%s%n",
                "", "requests/s", "p50 ms", "p99 ms", "CPU ms/req", "PG ms/req", "answers");
        for (Map.Entry<String, List<Sample>> e : samples.entrySet()) {
            List<Sample> ss = e.getValue();
            Map<Integer, Integer> answers = new TreeMap<>();
            ss.forEach(
                    s ->
                            s.result()
                                    .statuses()
                                    .forEach((k, v) -> answers.merge(k, v, Integer::sum)));
            System.out.printf(
                    "  %-3s%-26s%-26s%-26s%-12.2f%-10.2f%s%n",
                    e.getKey(),
                    range(ss, Sample::rps, "%.0f"),
                    range(ss, Sample::p50, "%.1f"),
                    range(ss, Sample::p99, "%.1f"),
                    median(ss, Sample::serverMsPerRequest),
                    median(ss, Sample::dbMsPerRequest),
                    answers);
        }
        for (String ref : List.of("B", "C")) {
            if (samples.containsKey("A") && samples.containsKey(ref)) {
                System.out.printf(
                        "  A/%s: throughput %s, p99 %s, server CPU/request %s%s%n",
                        ref,
                        ratio(samples, ref, Sample::rps),
                        ratio(samples, ref, Sample::p99),
                        ratio(samples, ref, Sample::serverMsPerRequest),
                        // B has no database.
                        ref.equals("C")
                                ? ", PG CPU/request " + ratio(samples, ref, Sample::dbMsPerRequest)
                                : "");
            }
        }
        if (samples.containsKey("A") && samples.size() > 1) {
            System.out.println("  (ratios: median of the per-round ratios [min–max])");
        }
    }

    /** Per round, A's figure over the reference's in the same round: median [min–max]. */
    private static String ratio(
            Map<String, List<Sample>> samples, String ref, ToDoubleFunction<Sample> f) {
        List<Double> ratios = ratios(samples, ref, f);
        return String.format(
                "%.2f [%.2f–%.2f]", median(ratios), ratios.get(0), ratios.get(ratios.size() - 1));
    }

    private static List<Double> ratios(
            Map<String, List<Sample>> samples, String ref, ToDoubleFunction<Sample> f) {
        List<Sample> a = samples.get("A");
        List<Sample> b = samples.get(ref);
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(f.applyAsDouble(a.get(i)) / f.applyAsDouble(b.get(i)));
        }
        out.sort(null);
        return out;
    }

    private static String range(List<Sample> ss, ToDoubleFunction<Sample> f, String fmt) {
        double[] v = ss.stream().mapToDouble(f).sorted().toArray();
        return String.format(fmt + " / " + fmt + " / " + fmt, v[0], median(v), v[v.length - 1]);
    }

    private static double median(List<Sample> ss, ToDoubleFunction<Sample> f) {
        return median(ss.stream().mapToDouble(f).sorted().toArray());
    }

    private static double median(List<Double> sorted) {
        return median(sorted.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Tab-separated {@code SUMMARY figure tributary reference ratio goal} lines for run.sh. */
    private static void summary(
            Map<Integer, Map<String, List<Sample>>> byLevel, Map<String, Delivered> delivered) {
        System.out.println();
        byLevel.forEach(
                (connections, s) -> {
                    if (!s.containsKey("A") || !s.containsKey("B") || !s.containsKey("C")) {
                        return;
                    }
                    String figure = "ingest, " + connections + " connections";
                    row(
                            figure + ": requests/s",
                            String.format("%.0f", median(s.get("A"), Sample::rps)),
                            String.format(
                                    "B %.0f, C %.0f",
                                    median(s.get("B"), Sample::rps),
                                    median(s.get("C"), Sample::rps)),
                            String.format(
                                    "A/B %.2f, A/C %.2f",
                                    median(ratios(s, "B", Sample::rps)),
                                    median(ratios(s, "C", Sample::rps))),
                            "A/B ≥ 0.5, A/C ≥ 0.8");
                    toC(s, figure + ": p99 ms", Sample::p99, "%.0f", "A/C ≤ 2");
                    toC(
                            s,
                            figure + ": server CPU ms/request",
                            Sample::serverMsPerRequest,
                            "%.2f",
                            "-");
                    toC(
                            s,
                            figure + ": PostgreSQL CPU ms/request",
                            Sample::dbMsPerRequest,
                            "%.2f",
                            "-");
                });
        Delivered a = delivered.get("A");
        if (a != null) {
            row(
                    "ingest: A's 202s on " + Topics.SYNC_REQUESTS,
                    a.onTopic() + " records for " + a.accepted() + " 202s",
                    "-",
                    a.ok() ? "exactly once" : "DIFFERENT",
                    "exactly once");
        }
    }

    /** A figure of A against C's: medians and the median of the per-round ratios. */
    private static void toC(
            Map<String, List<Sample>> s,
            String figure,
            ToDoubleFunction<Sample> f,
            String fmt,
            String goal) {
        row(
                figure,
                String.format(fmt, median(s.get("A"), f)),
                String.format("C " + fmt, median(s.get("C"), f)),
                String.format("A/C %.2f", median(ratios(s, "C", f))),
                goal);
    }

    private static void row(
            String figure, String tributary, String reference, String ratio, String goal) {
        System.out.println(String.join("\t", "SUMMARY", figure, tributary, reference, ratio, goal));
    }
}
