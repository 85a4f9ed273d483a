package io.tributary.monitor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import io.tributary.events.JobType;
import io.tributary.events.SyncRequested;
import io.tributary.events.Trigger;
import io.tributary.events.TriggerKind;
import io.tributary.local.Infrastructure;
import io.tributary.local.KafkaTopics;
import io.tributary.local.Ports;
import io.tributary.local.ServiceDatabase;
import io.tributary.monitor.bench.EventLog.Seen;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Burst benchmark (not a test): N sync requests for N connections at once, against the standalone
 * Airbyte sandbox (a child process) and the packaged sync-monitor-service (a child process) on the
 * embedded Kafka and PostgreSQL. Run with bench/burst.sh, which documents the settings.
 *
 * <p>Prints every 10 s the Airbyte calls, jobs created, requests started and ended, the monitor's
 * heap used and CPU seconds; then the Airbyte calls per minute by endpoint (and while every job is
 * in flight), starts per second (overall and the best 10 s window, against a reference: the sandbox
 * alone taking {@code POST /jobs} from 8 threads, measured in the same run), the detection lag (the
 * job's end, when its webhook reached this bench, to the ending's Kafka record), the monitor's heap
 * and what it holds when idle and at the peak, and any stall: a 10 s window without an Airbyte call
 * while work waited, a transaction the reaper timed out, a {@code ContextNotActiveException}.
 */
public final class BurstBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT_ID = "bench-client";
    private static final String CLIENT_SECRET = "bench-secret-0123456789";
    private static final String HINT_SECRET = "bench-hint-secret";
    private static final Duration SAMPLE = Duration.ofSeconds(10);
    private static final int THREADS = 8;
    private static final Path MONITOR_LOG = Path.of("target/burst-sync-monitor.log");

    /** The knobs, from the environment (see burst.sh). */
    private record Settings(
            int n,
            int jobSeconds,
            Duration limit,
            boolean hints,
            String rateLimit,
            String monitorJavaOpts,
            boolean jfr,
            int reference) {

        static Settings from(String[] args) {
            int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
            String rate = env("BURST_RATE_LIMIT", "");
            return new Settings(
                    n,
                    args.length > 3 ? Integer.parseInt(args[3]) : 60,
                    Duration.ofMinutes(args.length > 4 ? Integer.parseInt(args[4]) : 15),
                    !env("BURST_HINTS", "on").equals("off"),
                    rate.equals("unthrottled") ? "1000000" : rate,
                    env("BURST_MONITOR_JAVA_OPTS", ""),
                    env("BURST_JFR", "").equals("1"),
                    Integer.parseInt(env("BURST_REFERENCE", Integer.toString(Math.min(n, 1000)))));
        }

        private static String env(String name, String otherwise) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? otherwise : v.trim();
        }
    }

    private record Sample(
            long second,
            Map<String, Long> calls,
            int started,
            int ended,
            int jobsInSandbox,
            double heapMb,
            double cpuSeconds) {}

    private final Settings settings;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String admin;
    private String api;
    private Process monitor;
    private double livePeak = -1;

    private BurstBench(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.from(args);
        Path sandboxJar = Path.of(args[1]);
        Path monitorJar = Path.of(args[2]);
        Path dir = Files.createTempDirectory(Path.of("target"), "burst-");
        List<Process> children = new ArrayList<>();
        try (Infrastructure infra = Infrastructure.start(dir);
                HookRelay hooks = new HookRelay(Ports.free())) {
            try {
                KafkaTopics.ensure(infra.kafkaBootstrapServers(), KafkaTopics.contractTopics(), 3);
                BurstBench bench = new BurstBench(settings);
                children.add(bench.startSandbox(sandboxJar, Ports.free(), hooks));
                bench.run(infra, hooks, monitorJar, children);
            } finally {
                // Before Kafka and PostgreSQL stop, so the monitor's log ends quietly.
                for (Process p : children) {
                    p.destroy();
                    p.waitFor();
                }
            }
        }
        System.exit(0); // the HTTP client's threads are not daemons
    }

    private void run(Infrastructure infra, HookRelay hooks, Path monitorJar, List<Process> children)
            throws Exception {
        System.out.printf(
                "N=%d, jobs take %d s, hints %s, monitor's Airbyte rate limit %s, monitor JVM"
                        + " options [%s]; load average %s%n",
                settings.n(),
                settings.jobSeconds(),
                settings.hints() ? "on" : "off",
                settings.rateLimit().isEmpty() ? "default (100/s)" : settings.rateLimit() + "/s",
                settings.monitorJavaOpts(),
                loadAverage());
        waitFor(api + "/health");
        double reference = reference(settings.reference());
        List<String> connections = addConnections(settings.n(), "succeed", settings.jobSeconds());
        int monitorPort = Ports.free();
        monitor = startMonitor(monitorJar, infra, monitorPort);
        children.add(monitor);
        String monitorUrl = "http://127.0.0.1:" + monitorPort;
        waitFor(monitorUrl + "/q/health/ready");
        hooks.forwardTo(
                settings.hints()
                        ? URI.create(monitorUrl + "/airbyte/notifications/" + HINT_SECRET)
                        : null);
        Thread.sleep(5000); // let start-up work settle before the idle histogram
        double idleLive =
                ProcessStats.liveHeapMb(monitor.pid(), Path.of("target/burst-histogram-idle.txt"));
        send("DELETE", admin + "/counters", null);
        try (EventLog events = new EventLog(infra.kafkaBootstrapServers())) {
            Instant start = Instant.now();
            double cpuBefore = ProcessStats.cpuSeconds(monitor.pid());
            sendRequests(infra, connections);
            System.out.printf(
                    "%d sync requests sent (acks=all) in %.1f s%n",
                    settings.n(), Duration.between(start, Instant.now()).toMillis() / 1000.0);
            List<Sample> samples = sample(events, start, monitorUrl, cpuBefore);
            double liveAfter =
                    ProcessStats.liveHeapMb(
                            monitor.pid(), Path.of("target/burst-histogram-after.txt"));
            report(samples, events, hooks, start, reference, idleLive, liveAfter);
        }
    }

    /** Samples every 10 s until every request has its ending or the time limit passes. */
    private List<Sample> sample(EventLog events, Instant start, String monitorUrl, double cpu0)
            throws Exception {
        int n = settings.n();
        List<Sample> samples = new ArrayList<>();
        Map<String, Long> before = new HashMap<>();
        boolean peakTaken = false;
        long next = start.toEpochMilli() + SAMPLE.toMillis();
        while (Duration.between(start, Instant.now()).compareTo(settings.limit()) < 0) {
            Thread.sleep(Math.max(0, next - System.currentTimeMillis()));
            next += SAMPLE.toMillis();
            Map<String, Long> counters = counters();
            Map<String, Long> delta = new TreeMap<>();
            counters.forEach(
                    (k, v) -> {
                        long d = v - before.getOrDefault(k, 0L);
                        if (d > 0) {
                            delta.merge(k.substring(0, k.lastIndexOf(' ')), d, Long::sum);
                        }
                    });
            before.putAll(counters);
            Sample s =
                    new Sample(
                            Duration.between(start, Instant.now()).toSeconds(),
                            delta,
                            events.startedRequests(),
                            events.endedRequests(),
                            (int) (long) counters.getOrDefault("POST /jobs 200", 0L),
                            heapUsedMb(monitorUrl),
                            ProcessStats.cpuSeconds(monitor.pid()) - cpu0);
            samples.add(s);
            System.out.printf(
                    Locale.ROOT,
                    "  t=%4d s  calls %6d  jobs created %6d  started %6d  ended %6d  heap %5.0f MB"
                            + "  monitor CPU %6.1f s%n",
                    s.second(),
                    delta.values().stream().mapToLong(Long::longValue).sum(),
                    s.jobsInSandbox(),
                    s.started(),
                    s.ended(),
                    s.heapMb(),
                    s.cpuSeconds());
            if (!peakTaken && s.started() == n) {
                // Every job in flight: what the monitor holds at its peak (a full GC, once).
                peakTaken = true;
                livePeak =
                        ProcessStats.liveHeapMb(
                                monitor.pid(), Path.of("target/burst-histogram-peak.txt"));
            }
            if (s.ended() >= n) {
                break;
            }
        }
        return samples;
    }

    private void report(
            List<Sample> samples,
            EventLog events,
            HookRelay hooks,
            Instant start,
            double reference,
            double idleLive,
            double liveAfter)
            throws Exception {
        int n = settings.n();
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
                    System.out.printf(
                            "  minute %2d: %6d calls %s | jobs created %d, started %d, ended %d%n",
                            minute + 1,
                            calls.values().stream().mapToLong(Long::longValue).sum(),
                            calls,
                            last.jobsInSandbox(),
                            last.started(),
                            last.ended());
                });
        inFlightCalls(samples, n);
        starts(events.started(), start, reference);
        lag(events.ended(), hooks);
        double maxHeap = samples.stream().mapToDouble(Sample::heapMb).max().orElse(-1);
        Sample last = samples.get(samples.size() - 1);
        System.out.printf(
                Locale.ROOT,
                "monitor heap used: max %.0f MB over the 10 s samples; live heap (after a full GC,"
                        + " class histograms in target/burst-histogram-*.txt): idle before %.1f MB,"
                        + " with all %d in flight %.1f MB, after the last ending %.1f MB%n",
                maxHeap,
                idleLive,
                n,
                livePeak,
                liveAfter);
        System.out.printf(
                Locale.ROOT,
                "monitor CPU: %.1f s for %d requests (%.1f ms each)%n",
                last.cpuSeconds(),
                n,
                last.cpuSeconds() * 1000 / n);
        stalls(samples, n);
        System.out.printf(
                "requests started: %d of %d; ended: %d of %d after %d s; load average %s%n",
                last.started(), n, last.ended(), n, last.second(), loadAverage());
    }

    /** Calls per minute by endpoint over the samples where every job ran and none had ended. */
    private static void inFlightCalls(List<Sample> samples, int n) {
        Map<String, Long> calls = new TreeMap<>();
        long seconds = 0;
        int before = 0;
        for (Sample s : samples) {
            boolean allRan = before == n;
            before = s.started();
            if (allRan && s.ended() == 0) {
                s.calls().forEach((k, v) -> calls.merge(k, v, Long::sum));
                seconds += SAMPLE.toSeconds();
            }
        }
        if (seconds == 0) {
            System.out.println(
                    "calls while all jobs were in flight: no 10 s sample with all started and none"
                            + " ended (longer jobs: job-seconds)");
            return;
        }
        Map<String, Long> perMinute = new TreeMap<>();
        long secs = seconds;
        calls.forEach((k, v) -> perMinute.put(k, v * 60 / secs));
        System.out.printf(
                "calls per minute while all %d jobs were in flight (%d s): %s%n",
                n, seconds, perMinute);
    }

    private void starts(List<Seen> started, Instant start, double reference) {
        if (started.isEmpty()) {
            System.out.println("starts: none");
            return;
        }
        List<Long> times = new ArrayList<>();
        for (Seen s : started) {
            for (int i = 0; i < s.requests(); i++) {
                times.add(s.kafkaMillis());
            }
        }
        Collections.sort(times);
        double span = (times.get(times.size() - 1) - start.toEpochMilli()) / 1000.0;
        int peak = 0;
        for (int i = 0, j = 0; i < times.size(); i++) {
            while (times.get(i) - times.get(j) >= SAMPLE.toMillis()) {
                j++;
            }
            peak = Math.max(peak, i - j + 1);
        }
        double overall = times.size() / span;
        // A burst shorter than the window: the window is the burst.
        double peakRate = peak / Math.max(1.0, Math.min(SAMPLE.toSeconds(), span));
        System.out.printf(
                Locale.ROOT,
                "starts: %d started in %.1f s after the burst: %.0f/s overall, %.0f/s in the best"
                        + " 10 s window; reference (sandbox alone, %d threads): %.0f POST /jobs/s;"
                        + " ratio overall/reference %.2f%n",
                times.size(),
                span,
                overall,
                peakRate,
                THREADS,
                reference,
                reference > 0 ? overall / reference : Double.NaN);
    }

    private static void lag(List<Seen> ended, HookRelay hooks) {
        List<Long> kafka = new ArrayList<>();
        List<Long> received = new ArrayList<>();
        List<Long> upper = new ArrayList<>();
        int unknown = 0;
        for (Seen e : ended) {
            Long end = hooks.endedAt(e.jobId());
            if (end == null) {
                unknown++;
                continue;
            }
            kafka.add(e.kafkaMillis() - end);
            received.add(e.receivedMillis() - end);
            if (e.finishedAt() != null) {
                upper.add(e.kafkaMillis() - e.finishedAt());
            }
        }
        System.out.printf(
                "detection lag, job end (its webhook at this bench) → ending on Kafka (record"
                        + " time): %s; → received by a consumer: %s; from Airbyte's lastUpdatedAt"
                        + " (whole seconds, so up to 1 s high): %s%s%n",
                percentiles(kafka),
                percentiles(received),
                percentiles(upper),
                unknown == 0 ? "" : "; " + unknown + " endings without a webhook");
    }

    private static String percentiles(List<Long> millis) {
        if (millis.isEmpty()) {
            return "n/a";
        }
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        ToLongFunction<Double> at =
                q ->
                        sorted.get(
                                Math.min(
                                        sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
        return String.format(
                Locale.ROOT,
                "p50 %.2f s, p99 %.2f s, max %.2f s (n=%d)",
                at.applyAsLong(0.50) / 1000.0,
                at.applyAsLong(0.99) / 1000.0,
                sorted.get(sorted.size() - 1) / 1000.0,
                sorted.size());
    }

    private static void stalls(List<Sample> samples, int n) throws Exception {
        List<Long> idle = new ArrayList<>();
        for (Sample s : samples) {
            if ((s.started() < n || s.ended() < n) && s.calls().isEmpty()) {
                idle.add(s.second());
            }
        }
        String log = Files.exists(MONITOR_LOG) ? Files.readString(MONITOR_LOG) : "";
        System.out.printf(
                "stalls: 10 s windows without an Airbyte call while work waited: %s;"
                        + " transactions timed out by the reaper: %d; ContextNotActiveException: %d;"
                        + " slow tasks: %d; WARN/ERROR log lines: %d%n",
                idle.isEmpty() ? "none" : idle + " (seconds since the burst)",
                count(log, "ARJUNA012117"),
                count(log, "ContextNotActiveException"),
                count(log, "slow-task threshold"),
                log.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).count());
    }

    private static long count(String text, String what) {
        long c = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            c++;
        }
        return c;
    }

    // ---------------------------------------------------------------- the sandbox

    private Process startSandbox(Path jar, int port, HookRelay hooks) throws Exception {
        admin = "http://127.0.0.1:" + port + "/sandbox";
        api = "http://127.0.0.1:" + port + "/api/public/v1";
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
                        "--webhook-url=" + hooks.url())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target/burst-sandbox.log").toFile())
                .start();
    }

    /**
     * What the Airbyte API allows here: {@code POST /jobs} from {@link #THREADS} threads straight
     * to the sandbox, for connections whose jobs never end (so they never show in the monitor's
     * look at ended jobs).
     *
     * @return jobs started per second, or 0 when not measured
     */
    private double reference(int count) throws Exception {
        if (count <= 0) {
            return 0;
        }
        List<String> connections = addConnections(count, "hang", 0);
        String token =
                send(
                                "POST",
                                api + "/applications/token",
                                "{\"client_id\":\""
                                        + CLIENT_ID
                                        + "\",\"client_secret\":\""
                                        + CLIENT_SECRET
                                        + "\",\"grant_type\":\"client_credentials\"}")
                        .get("access_token")
                        .asText();
        long t0 = System.nanoTime();
        parallel(
                connections,
                c -> {
                    HttpResponse<String> r =
                            http.send(
                                    HttpRequest.newBuilder(URI.create(api + "/jobs"))
                                            .header("Authorization", "Bearer " + token)
                                            .header("Content-Type", "application/json")
                                            .POST(
                                                    HttpRequest.BodyPublishers.ofString(
                                                            "{\"connectionId\":\""
                                                                    + c
                                                                    + "\",\"jobType\":\"sync\"}"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("reference POST /jobs: " + r.statusCode());
                    }
                    return c;
                });
        double rate = count / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(
                Locale.ROOT,
                "reference: %d POST /jobs straight to the sandbox from %d threads: %.0f/s%n",
                count,
                THREADS,
                rate);
        return rate;
    }

    private List<String> addConnections(int n, String outcome, int seconds) throws Exception {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            indexes.add(i);
        }
        return parallel(
                indexes,
                i ->
                        send(
                                        "POST",
                                        admin + "/connections",
                                        "{\"name\":\"burst "
                                                + outcome
                                                + " "
                                                + i
                                                + "\",\"script\":{\"outcome\":\""
                                                + outcome
                                                + "\",\"after\":"
                                                + Math.max(1, seconds)
                                                + ",\"rows\":"
                                                + (i + 1)
                                                + "}}")
                                .get("connectionId")
                                .asText());
    }

    private interface Step<T, R> {
        R apply(T t) throws Exception;
    }

    private static <T, R> List<R> parallel(List<T> items, Step<T, R> step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                Callable<R> c = () -> step.apply(item);
                futures.add(pool.submit(c));
            }
            List<R> out = new ArrayList<>();
            for (Future<R> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private Map<String, Long> counters() throws Exception {
        Map<String, Long> counts = new HashMap<>();
        send("GET", admin + "/counters", null)
                .fields()
                .forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }

    // ---------------------------------------------------------------- the monitor

    private Process startMonitor(Path jar, Infrastructure infra, int monitorPort) throws Exception {
        ServiceDatabase db = infra.database("sync-monitor-service");
        List<String> command = new ArrayList<>(List.of("java"));
        if (!settings.monitorJavaOpts().isEmpty()) {
            command.addAll(List.of(settings.monitorJavaOpts().split("\\s+")));
        }
        if (settings.jfr()) {
            command.add(
                    "-XX:StartFlightRecording=filename=target/burst-monitor.jfr,settings=profile,"
                            + "dumponexit=true");
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(MONITOR_LOG.toFile());
        Map<String, String> env = pb.environment();
        env.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrapServers());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", db.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", db.password());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(monitorPort));
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        env.put("TRIBUTARY_MONITOR_AIRBYTE_BASE_URL", api);
        env.put("TRIBUTARY_MONITOR_AIRBYTE_CLIENT_ID", CLIENT_ID);
        env.put("TRIBUTARY_MONITOR_AIRBYTE_CLIENT_SECRET", CLIENT_SECRET);
        env.put("TRIBUTARY_MONITOR_NOTIFICATION_SECRET", HINT_SECRET);
        if (!settings.rateLimit().isEmpty()) {
            env.put("TRIBUTARY_MONITOR_AIRBYTE_RATE_LIMIT_LIMIT", settings.rateLimit());
        }
        return pb.start();
    }

    private void sendRequests(Infrastructure infra, List<String> connections) throws Exception {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                infra.kafkaBootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            List<Future<?>> acks = new ArrayList<>();
            for (String conn : connections) {
                acks.add(producer.send(request(conn)));
            }
            for (Future<?> ack : acks) {
                ack.get();
            }
        }
    }

    private static ProducerRecord<String, byte[]> request(String conn) {
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

    /** Heap used as the monitor's own metrics say (every pool of area "heap"), in MB. */
    private double heapUsedMb(String monitorUrl) {
        try {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(URI.create(monitorUrl + "/q/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString());
            return r.body()
                            .lines()
                            .filter(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                            .mapToDouble(
                                    l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                            .sum()
                    / 1024
                    / 1024;
        } catch (Exception e) {
            return ProcessStats.heapUsedMb(monitor.pid());
        }
    }

    // ---------------------------------------------------------------- HTTP helpers

    private JsonNode send(String method, String url, String body) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + url + ": " + response.statusCode());
        }
        return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    private void waitFor(String url) throws Exception {
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

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "?";
        }
    }
}
