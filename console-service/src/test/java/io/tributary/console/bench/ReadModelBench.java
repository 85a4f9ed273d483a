package io.tributary.console.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.console.run.RunSummary;
import io.tributary.console.run.StoredEvent;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.DeliveryStatus;
import io.tributary.events.EventIds;
import io.tributary.events.EventJson;
import io.tributary.events.EventType;
import io.tributary.events.FailureReason;
import io.tributary.events.JobType;
import io.tributary.events.NotificationEvent;
import io.tributary.events.Parsed;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncRequested;
import io.tributary.events.SyncStarted;
import io.tributary.events.SyncStatus;
import io.tributary.events.TransformEvent;
import io.tributary.events.TransformStatus;
import io.tributary.events.TransformTrigger;
import io.tributary.events.TransformTriggerKind;
import io.tributary.events.Trigger;
import io.tributary.events.TriggerKind;
import io.tributary.local.Infrastructure;
import io.tributary.local.KafkaTopics;
import io.tributary.local.Ports;
import io.tributary.local.ServiceDatabase;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.postgresql.PGConnection;

/**
 * Read-model benchmark of the packaged console (not a test): embedded Kafka and PostgreSQL, the
 * console as a child process, a read model of {@code runs} pipeline runs over 30 days, then page
 * latencies measured from one client.
 *
 * <p>History is loaded with COPY straight into {@code pipeline_event}, {@code run_event} and {@code
 * pipeline_run} (after the console migrated its schema): each event is built from the contract's
 * records, serialized as the services do and read back as the projection reads it; each run's row
 * is {@link RunSummary#of} of its events, its steps written with the contract's JSON settings (the
 * console's ObjectMapper). The newest {@code live} runs go through Kafka instead: that measures the
 * projection's rate and checks the loaded shape against what the projection itself wrote.
 *
 * <p>Pages are then measured after a warm-up, in interleaved rounds, with {@code /q/health/live} of
 * the same console as the reference. Figures are printed, never asserted. Run with bench/bench.sh.
 */
public final class ReadModelBench {
    private static final String TOKEN = "bench-read-token-0123456789";
    private static final ObjectMapper JSON = EventJson.mapper();
    private static final int PARTITIONS = 3;
    private static final int CONNECTIONS = 300;

    /** One more connection, busy (~2 % of the runs) until it was retired 16 days ago. */
    private static final int RETIRED = CONNECTIONS;

    private static final Duration SPAN = Duration.ofDays(30);
    private static final int BATCH = 2000;
    private static final int PER_ROUND = 5;
    private static final double GOAL_MS = 100;
    private static final Pattern OLDER = Pattern.compile("<a href=\"([^\"]+)\">Older runs");
    private static final String[] TRANSFORMS = {
        "shop_marts", "crm_marts", "finance_daily", "marketing_attribution", "product_usage",
        "support_tickets", "billing_mrr", "inventory_levels", "web_sessions", "ads_spend",
        "hr_headcount", "payments_ledger", "churn_features", "search_terms", "email_engagement",
        "logistics_eta", "experiments", "pricing_history", "partner_feeds", "ops_incidents"
    };

    /** How a generated run ends. */
    enum Outcome {
        SUCCEEDED,
        SYNC_FAILED,
        REFUSED,
        SYNC_CANCELLED,
        DBT_FAILED
    }

    /** One run to generate: what triggered it, when, on which connection, and how it ends. */
    record RunSpec(
            String correlationId,
            int connection,
            TriggerKind kind,
            String triggerId,
            String detail,
            Instant requestedAt,
            long jobId,
            Outcome outcome,
            long seed) {}

    /** A run's events as records on the wire and as the projection stores them. */
    record Built(
            RunSpec spec, List<ProducerRecord<String, byte[]>> records, List<StoredEvent> stored) {}

    /** A page to measure. */
    record Page(String name, String path) {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int live = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int deepPages = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        Path jar = Path.of(args.length > 4 ? args[4] : "target/quarkus-app/quarkus-run.jar");
        long holdSeconds = Long.parseLong(System.getProperty("bench.hold.seconds", "0"));
        Path dir = Files.createTempDirectory(Path.of("target"), "bench-");
        long begin = System.nanoTime();
        try (Infrastructure infra = Infrastructure.start(dir)) {
            KafkaTopics.ensure(infra.kafkaBootstrapServers(), KafkaTopics.contractTopics(), 3);
            ServiceDatabase db = infra.database("console-service");
            int port = Ports.free();
            Process console = startConsole(jar, infra, db, port);
            try {
                HttpClient http =
                        HttpClient.newBuilder()
                                .version(HttpClient.Version.HTTP_1_1)
                                .connectTimeout(Duration.ofSeconds(10))
                                .build();
                String base = "http://127.0.0.1:" + port;
                waitUntilReady(http, base);
                System.out.printf(
                        "console ready after %.1f s (embedded Kafka and PostgreSQL, schema"
                                + " migrated)%n",
                        (System.nanoTime() - begin) / 1e9);

                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                List<RunSpec> specs = specs(runs + live, now);
                List<RunSpec> history = specs.subList(0, runs);
                List<RunSpec> recent = specs.subList(runs, specs.size());
                long events = fill(db, history, now);
                System.out.printf("%s%n", sizes(db));

                project(infra, db, recent, now, events);

                int busiest = busiestConnection(specs);
                String session = signIn(http, base);
                String deep = walk(http, base, session, deepPages);
                Random pick = new Random(7);
                List<Page> pages =
                        List.of(
                                new Page("GET /runs", "/runs"),
                                new Page("GET /runs?status=failed", "/runs?status=failed"),
                                new Page(
                                        "GET /runs?connection=<busiest>",
                                        "/runs?connection=" + connectionId(busiest)),
                                new Page("GET /runs?after=… (page " + (deepPages + 1) + ")", deep),
                                new Page("GET /runs/{id} (random)", null),
                                new Page("GET / (overview)", "/"),
                                // Beyond the brief: the list's worst filters (nothing recent
                                // matches, so a walk down the newest runs finds nothing early).
                                new Page(
                                        "GET /runs?connection=<retired 16 d ago>",
                                        "/runs?connection=" + connectionId(RETIRED)),
                                new Page(
                                        "GET /runs?trigger=kafka (no such run)",
                                        "/runs?trigger=kafka"),
                                new Page("GET /q/health/live (reference)", "/q/health/live"));
                measure(http, base, session, pages, history, pick, rounds);
                if (holdSeconds > 0) {
                    System.out.printf(
                            "holding %d s: psql '%s' (console on %s)%n",
                            holdSeconds, infra.adminJdbcUrl(db.database()), base);
                    Thread.sleep(holdSeconds * 1000);
                }
            } finally {
                console.destroy();
                if (!console.waitFor(30, TimeUnit.SECONDS)) {
                    console.destroyForcibly().waitFor();
                }
            }
        } finally {
            delete(dir); // ~2 GB of Kafka and PostgreSQL data for 100,000 runs
        }
        System.out.printf("bench took %.0f s%n", (System.nanoTime() - begin) / 1e9);
        System.exit(0); // the HTTP client's threads are not daemons
    }

    private static void delete(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---------------------------------------------------------------- the console

    private static Process startConsole(
            Path jar, Infrastructure infra, ServiceDatabase db, int port) throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder("java", "-jar", jar.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(Path.of("target/bench-console.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrapServers());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", db.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", db.password());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        env.put("TRIBUTARY_API_TOKENS_BENCH_TOKEN", TOKEN);
        env.put("TRIBUTARY_API_TOKENS_BENCH_SCOPE", "read");
        // No owner runs: closed local ports, refused at once (a hung owner would cost the
        // overview the owner timeout once per cache TTL).
        for (String owner : List.of("TRIGGER", "MONITOR", "TRANSFORM", "NOTIFIER")) {
            env.put("TRIBUTARY_CONSOLE_" + owner + "_URL", "http://127.0.0.1:" + Ports.free());
        }
        env.put("TRIBUTARY_CONSOLE_OWNER_TIMEOUT", "PT0.2S");
        return pb.start();
    }

    private static void waitUntilReady(HttpClient http, String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
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
                "console-service did not become ready; see target/bench-console.log");
    }

    private static String signIn(HttpClient http, String base) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/signin"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "token=" + TOKEN + "&next=%2F"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 303) {
            throw new IllegalStateException("sign-in answered " + r.statusCode());
        }
        for (String c : r.headers().allValues("Set-Cookie")) {
            if (c.startsWith("tributary_session=")) {
                return c.substring("tributary_session=".length(), c.indexOf(';'));
            }
        }
        throw new IllegalStateException("sign-in set no session cookie");
    }

    private static HttpResponse<String> get(
            HttpClient http, String base, String session, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Cookie", "tributary_session=" + session)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ---------------------------------------------------------------- what runs look like

    /**
     * {@code n} runs over the last 30 days, oldest first: schedules fire on the quarter hour for 1
     * to 4 connections at once (same start, so the list's tie-break on the id matters), webhooks,
     * rules and people at any time; connections skewed (the busiest has ~6 % of the runs), plus one
     * retired 16 days ago after ~2 % of the runs; one transform per connection.
     */
    static List<RunSpec> specs(int n, Instant now) {
        Random rnd = new Random(42);
        // After the retention's cut (30 days), so the hourly purge deletes nothing mid-bench.
        Instant start = now.minus(SPAN).plus(Duration.ofMinutes(30));
        long spanMillis = Duration.between(start, now).toMillis();
        Instant retiredAfter = now.minus(Duration.ofDays(16));
        record Draft(
                int connection, TriggerKind kind, String triggerId, String detail, Instant at) {}
        List<Draft> drafts = new ArrayList<>(n + 4);
        while (drafts.size() < n) {
            Instant at = start.plusMillis((long) (rnd.nextDouble() * spanMillis));
            double u = rnd.nextDouble();
            if (u < 0.45) {
                Instant fire = at.truncatedTo(ChronoUnit.HOURS);
                fire =
                        fire.plus(
                                Duration.ofMinutes(
                                        15L
                                                * (at.atZone(java.time.ZoneOffset.UTC).getMinute()
                                                        / 15)));
                if (fire.isBefore(start)) {
                    fire = fire.plus(Duration.ofMinutes(15));
                }
                String schedule = "schedule-" + rnd.nextInt(40);
                int group = 1 + rnd.nextInt(4);
                for (int g = 0; g < group; g++) {
                    drafts.add(
                            new Draft(
                                    connection(rnd, at, retiredAfter),
                                    TriggerKind.SCHEDULE,
                                    schedule,
                                    "fire " + fire,
                                    fire.plusMillis(rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(40))));
                }
            } else if (u < 0.80) {
                drafts.add(
                        new Draft(
                                connection(rnd, at, retiredAfter),
                                TriggerKind.WEBHOOK,
                                "hook-" + rnd.nextInt(30),
                                "delivery msg_" + Long.toHexString(rnd.nextLong()),
                                at));
            } else if (u < 0.93) {
                drafts.add(
                        new Draft(
                                connection(rnd, at, retiredAfter),
                                TriggerKind.EVENT,
                                "rule-" + rnd.nextInt(15),
                                "after " + new java.util.UUID(rnd.nextLong(), rnd.nextLong()),
                                at));
            } else {
                String[] people = {"alice", "bob", "carol", "dave", "erin"};
                drafts.add(
                        new Draft(
                                connection(rnd, at, retiredAfter),
                                TriggerKind.MANUAL,
                                people[rnd.nextInt(people.length)],
                                null,
                                at));
            }
        }
        List<Draft> sorted = new ArrayList<>(drafts.subList(0, n));
        sorted.sort(Comparator.comparing(Draft::at));
        List<RunSpec> specs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Draft d = sorted.get(i);
            double o = rnd.nextDouble();
            Outcome outcome =
                    o < 0.045
                            ? Outcome.SYNC_FAILED
                            : o < 0.05
                                    ? Outcome.REFUSED
                                    : o < 0.1
                                            ? Outcome.DBT_FAILED
                                            : o < 0.105
                                                    ? Outcome.SYNC_CANCELLED
                                                    : Outcome.SUCCEEDED;
            String requestId =
                    EventIds.derive(
                            d.kind().name(),
                            d.triggerId(),
                            d.at().toString(),
                            connectionId(d.connection()),
                            Integer.toString(i));
            specs.add(
                    new RunSpec(
                            requestId,
                            d.connection(),
                            d.kind(),
                            d.triggerId(),
                            d.detail(),
                            d.at(),
                            1_000_000L + i,
                            outcome,
                            rnd.nextLong()));
        }
        return specs;
    }

    /** Skewed over the active connections; before {@code retiredAfter}, sometimes the retired. */
    private static int connection(Random rnd, Instant at, Instant retiredAfter) {
        if (at.isBefore(retiredAfter) && rnd.nextDouble() < 0.045) {
            return RETIRED;
        }
        double u = rnd.nextDouble();
        return Math.min(CONNECTIONS - 1, (int) (CONNECTIONS * u * u));
    }

    static String connectionId(int connection) {
        return EventIds.derive("bench-connection", Integer.toString(connection));
    }

    private static int busiestConnection(List<RunSpec> specs) {
        int[] counts = new int[CONNECTIONS + 1];
        specs.forEach(s -> counts[s.connection()]++);
        int best = 0;
        for (int i = 1; i < CONNECTIONS; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        System.out.printf(
                "busiest connection %s: %d runs of %d%n",
                connectionId(best), counts[best], specs.size());
        return best;
    }

    /**
     * A run's events as the four services publish them (their ids derived as theirs are), cut at
     * {@code now}: a run whose sync or dbt run has not ended yet is running.
     */
    static List<ProducerRecord<String, byte[]>> records(RunSpec s, Instant now) {
        Random r = new Random(s.seed());
        String conn = connectionId(s.connection());
        String corr = s.correlationId();
        String trace =
                "00-"
                        + corr.replace("-", "")
                        + "-"
                        + Long.toHexString(s.seed() | 0x1000000000000000L)
                        + "-01";
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(6);
        SyncRequested request =
                new SyncRequested(
                        corr,
                        conn,
                        JobType.SYNC,
                        s.requestedAt(),
                        new Trigger(s.kind(), s.triggerId(), s.detail()),
                        corr);
        add(
                out,
                now,
                trace,
                EventType.SYNC_REQUESTED,
                corr,
                conn,
                request,
                "trigger-service",
                s.requestedAt());
        if (s.outcome() == Outcome.REFUSED) {
            Instant at = s.requestedAt().plusMillis(200 + r.nextInt(800));
            SyncFinished refused =
                    SyncFinished.failedWithoutJob(
                            request,
                            at,
                            FailureReason.CONNECTION_INACTIVE,
                            "connection " + conn + " is inactive in Airbyte");
            String id = EventIds.derive("sync.refused", corr);
            add(
                    out,
                    now,
                    trace,
                    EventType.SYNC_FAILED,
                    id,
                    conn,
                    refused,
                    "sync-monitor-service",
                    at);
            notify(out, now, trace, r, id, EventType.SYNC_FAILED, corr, at, true);
            return out;
        }
        Instant started = s.requestedAt().plusMillis(800 + r.nextInt(12_000));
        SyncStarted start =
                new SyncStarted(conn, s.jobId(), JobType.SYNC, List.of(corr), false, started, corr);
        add(
                out,
                now,
                trace,
                EventType.SYNC_STARTED,
                EventIds.derive("sync.started", Long.toString(s.jobId()), corr),
                conn,
                start,
                "sync-monitor-service",
                started);
        Instant ended = started.plusMillis(lognormal(r, 180_000, 0.9, 15_000, 7_200_000));
        long rows = (long) (Math.exp(r.nextGaussian() * 1.5 + 9));
        SyncFinished end =
                switch (s.outcome()) {
                    case SYNC_FAILED ->
                            SyncFinished.of(
                                    start,
                                    SyncStatus.FAILED,
                                    ended,
                                    null,
                                    null,
                                    r.nextInt(4) == 0
                                            ? FailureReason.TIMED_OUT
                                            : FailureReason.AIRBYTE_FAILED,
                                    "Source process exited with code 1: HTTP 429 Too Many Requests"
                                            + " from the source API after 5 attempts");
                    case SYNC_CANCELLED ->
                            SyncFinished.of(
                                    start, SyncStatus.CANCELLED, ended, null, null, null, null);
                    default -> SyncFinished.succeeded(start, ended, rows, rows * 412);
                };
        String endId = EventIds.derive("sync.ended", Long.toString(s.jobId()));
        add(out, now, trace, end.ceType(), endId, conn, end, "sync-monitor-service", ended);
        if (s.outcome() != Outcome.SUCCEEDED && s.outcome() != Outcome.DBT_FAILED) {
            notify(out, now, trace, r, endId, end.ceType(), corr, ended, true);
            return out;
        }
        String transform = TRANSFORMS[s.connection() % TRANSFORMS.length];
        String runId = EventIds.derive("bench-dbt", corr);
        Instant dbtStart = ended.plusMillis(300 + r.nextInt(2500));
        TransformTrigger trigger =
                new TransformTrigger(TransformTriggerKind.SYNC, List.of(s.jobId()), List.of(conn));
        TransformEvent dbtStarted =
                new TransformEvent(
                        transform,
                        runId,
                        TransformStatus.STARTED,
                        "build",
                        null,
                        "prod",
                        trigger,
                        dbtStart,
                        null,
                        null,
                        null,
                        null,
                        null,
                        corr,
                        null,
                        List.of(corr));
        add(
                out,
                now,
                trace,
                EventType.TRANSFORM_STARTED,
                EventIds.derive("transform", runId, "started"),
                transform,
                dbtStarted,
                "transform-service",
                dbtStart);
        Duration took = Duration.ofMillis(lognormal(r, 60_000, 0.7, 8_000, 1_800_000));
        Instant dbtEnd = dbtStart.plus(took);
        int models = 12 + (s.connection() % 40);
        int tests = models * 3;
        boolean failed = s.outcome() == Outcome.DBT_FAILED;
        TransformEvent dbtEnded =
                new TransformEvent(
                        transform,
                        runId,
                        failed ? TransformStatus.FAILED : TransformStatus.SUCCEEDED,
                        "build",
                        null,
                        "prod",
                        trigger,
                        dbtStart,
                        dbtEnd,
                        took,
                        failed ? 1 : 0,
                        new TransformEvent.Summary(
                                models,
                                0,
                                0,
                                failed ? tests - 1 : tests,
                                failed ? 1 : 0,
                                r.nextInt(10) == 0 ? 1 : 0),
                        failed
                                ? List.of(
                                        new TransformEvent.NodeFailure(
                                                "test."
                                                        + transform
                                                        + ".not_null_orders_customer_id",
                                                "fail",
                                                "Got "
                                                        + (1 + r.nextInt(40))
                                                        + " results, configured to fail if != 0"))
                                : List.of(),
                        corr,
                        null,
                        List.of(corr));
        String dbtEndId = EventIds.derive("transform", runId, dbtEnded.status().wire());
        add(
                out,
                now,
                trace,
                dbtEnded.ceType(),
                dbtEndId,
                transform,
                dbtEnded,
                "transform-service",
                dbtEnd);
        notify(out, now, trace, r, dbtEndId, dbtEnded.ceType(), corr, dbtEnd, failed);
        return out;
    }

    /** The notifier's outcome of the run's last event: failures to Slack, the rest to a webhook. */
    private static void notify(
            List<ProducerRecord<String, byte[]>> out,
            Instant now,
            String trace,
            Random r,
            String about,
            EventType aboutType,
            String corr,
            Instant at,
            boolean failure) {
        String subscription = failure ? "oncall-slack" : "warehouse-audit";
        boolean delivered = r.nextInt(100) != 0;
        NotificationEvent n =
                new NotificationEvent(
                        subscription,
                        failure ? "slack" : "webhook",
                        about,
                        aboutType.type(),
                        delivered ? 1 : 5,
                        delivered ? DeliveryStatus.DELIVERED : DeliveryStatus.FAILED,
                        delivered ? "HTTP 200" : "HTTP 503 after 5 attempts",
                        EventIds.derive("delivery", subscription, about),
                        corr);
        add(
                out,
                now,
                trace,
                n.ceType(),
                EventIds.derive("notification", subscription, about),
                subscription,
                n,
                "notifier-service",
                at.plusMillis(150 + r.nextInt(1500)));
    }

    private static void add(
            List<ProducerRecord<String, byte[]>> out,
            Instant now,
            String trace,
            EventType type,
            String id,
            String key,
            Object data,
            String service,
            Instant at) {
        if (!at.isAfter(now)) {
            out.add(
                    CloudEventKafka.record(
                            type,
                            id,
                            key,
                            data,
                            CloudEventKafka.source(service),
                            at.truncatedTo(ChronoUnit.MILLIS),
                            trace));
        }
    }

    private static long lognormal(Random r, long median, double sigma, long min, long max) {
        long v = (long) (median * Math.exp(r.nextGaussian() * sigma));
        return Math.max(min, Math.min(max, v));
    }

    /** The run's records, and the events as the projection would store them from Kafka. */
    static Built build(RunSpec spec, Instant now, Map<String, long[]> offsets) {
        List<ProducerRecord<String, byte[]>> records = records(spec, now);
        List<StoredEvent> stored = new ArrayList<>(records.size());
        for (ProducerRecord<String, byte[]> p : records) {
            int partition =
                    Utils.toPositive(Utils.murmur2(p.key().getBytes(StandardCharsets.UTF_8)))
                            % PARTITIONS;
            long offset =
                    offsets.computeIfAbsent(p.topic(), t -> new long[PARTITIONS])[partition]++;
            ConsumerRecord<String, byte[]> c =
                    new ConsumerRecord<>(
                            p.topic(),
                            partition,
                            offset,
                            0L,
                            TimestampType.CREATE_TIME,
                            -1,
                            p.value().length,
                            p.key(),
                            p.value(),
                            p.headers(),
                            Optional.empty());
            // As Projection.apply(ConsumerRecord) reads it.
            ReceivedEvent e = ((Parsed.Ok) CloudEventKafka.read(c)).event();
            ObjectNode headers = JsonNodeFactory.instance.objectNode();
            for (Header h : c.headers()) {
                headers.put(
                        h.key(),
                        h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
            }
            JsonNode corr = e.data().get("correlationId");
            stored.add(
                    new StoredEvent(
                            e.id(),
                            e.type(),
                            c.topic(),
                            partition,
                            offset,
                            c.key(),
                            e.time(),
                            corr == null || corr.isNull() ? null : corr.asText(),
                            e.data(),
                            headers));
        }
        return new Built(spec, records, stored);
    }

    // ---------------------------------------------------------------- loading history

    /** COPYs the runs' events, links and summaries, batch by batch (one transaction each). */
    private static long fill(ServiceDatabase db, List<RunSpec> specs, Instant now)
            throws Exception {
        long begin = System.nanoTime();
        Map<String, long[]> offsets = new HashMap<>();
        long events = 0;
        long[] copyNanos = {0};
        long buildNanos = 0;
        ExecutorService copier = Executors.newSingleThreadExecutor();
        try (Connection c =
                DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
            c.setAutoCommit(false);
            Future<?> previous = null;
            for (int from = 0; from < specs.size(); from += BATCH) {
                long building = System.nanoTime();
                StringBuilder ev = new StringBuilder(BATCH * 6 * 1200);
                StringBuilder links = new StringBuilder(BATCH * 6 * 90);
                StringBuilder runs = new StringBuilder(BATCH * 1500);
                for (RunSpec spec : specs.subList(from, Math.min(specs.size(), from + BATCH))) {
                    Built b = build(spec, now, offsets);
                    for (StoredEvent e : b.stored()) {
                        csvRow(
                                ev,
                                e.eventId(),
                                e.type(),
                                e.topic(),
                                e.partition(),
                                e.offset(),
                                e.key(),
                                e.time(),
                                e.correlationId(),
                                e.data().toString(),
                                e.headers().toString(),
                                // consumed a moment after it was published
                                e.time()
                                        .plusMillis(
                                                20 + Math.floorMod(e.eventId().hashCode(), 400)));
                        csvRow(links, spec.correlationId(), e.eventId());
                        events++;
                    }
                    RunSummary s = RunSummary.of(spec.correlationId(), b.stored());
                    csvRow(
                            runs,
                            s.correlationId(),
                            s.startedAt(),
                            s.updatedAt(),
                            s.status().wire(),
                            s.triggerKind(),
                            s.triggerId(),
                            array(s.connections()),
                            array(s.transforms()),
                            JSON.writeValueAsString(s.steps()),
                            s.failure(),
                            s.eventCount());
                }
                buildNanos += System.nanoTime() - building;
                if (previous != null) {
                    previous.get();
                }
                previous =
                        copier.submit(
                                () -> {
                                    long copying = System.nanoTime();
                                    copy(
                                            c,
                                            "pipeline_event (event_id, event_type, topic,"
                                                    + " kafka_partition, kafka_offset, record_key, event_time,"
                                                    + " correlation_id, data, headers, received_at)",
                                            ev);
                                    copy(c, "run_event (correlation_id, event_id)", links);
                                    copy(
                                            c,
                                            "pipeline_run (correlation_id, started_at, updated_at,"
                                                    + " status, trigger_kind, trigger_id, connections,"
                                                    + " transforms, steps, failure, event_count)",
                                            runs);
                                    c.commit();
                                    copyNanos[0] += System.nanoTime() - copying;
                                    return null;
                                });
            }
            if (previous != null) {
                previous.get();
            }
        } finally {
            copier.shutdown();
        }
        double loaded = (System.nanoTime() - begin) / 1e9;
        long vacuum = System.nanoTime();
        try (Connection c =
                        DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                Statement st = c.createStatement()) {
            // What autovacuum would have done over 30 days: statistics and the visibility map.
            st.execute("vacuum analyze pipeline_event, run_event, pipeline_run");
        }
        System.out.printf(
                "history: %,d runs, %,d events COPYed in %.1f s (%,.0f events/s; generating %.1f s"
                        + " and COPY %.1f s, overlapped), vacuum analyze %.1f s%n",
                specs.size(),
                events,
                loaded,
                events / loaded,
                buildNanos / 1e9,
                copyNanos[0] / 1e9,
                (System.nanoTime() - vacuum) / 1e9);
        return events;
    }

    private static void copy(Connection c, String table, StringBuilder csv) throws Exception {
        c.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn(
                        "copy " + table + " from stdin with (format csv)",
                        new StringReader(csv.toString()));
    }

    private static void csvRow(StringBuilder sb, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object v = values[i];
            if (v == null) {
                continue; // unquoted empty: NULL
            }
            if (v instanceof Number) {
                sb.append(v);
            } else {
                sb.append('"').append(v.toString().replace("\"", "\"\"")).append('"');
            }
        }
        sb.append('\n');
    }

    private static String array(List<String> values) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            sb.append(i > 0 ? "," : "")
                    .append('"')
                    .append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return sb.append('}').toString();
    }

    private static String sizes(ServiceDatabase db) throws Exception {
        StringBuilder out = new StringBuilder("sizes (table + indexes):");
        try (Connection c =
                        DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "select relname, pg_size_pretty(pg_table_size(oid)),"
                                        + " pg_size_pretty(pg_indexes_size(oid)) from pg_class"
                                        + " where relname in ('pipeline_event', 'run_event',"
                                        + " 'pipeline_run') order by relname")) {
            while (rs.next()) {
                out.append(
                        String.format(
                                " %s %s + %s;", rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- the projection, live

    /**
     * Publishes the newest runs' events through Kafka (in time order, acks=all), waits until the
     * console has projected them all, prints the rate, and checks that what the projection wrote is
     * what the COPY path writes for the same events.
     */
    private static void project(
            Infrastructure infra, ServiceDatabase db, List<RunSpec> specs, Instant now, long before)
            throws Exception {
        Map<String, long[]> offsets = new HashMap<>();
        List<Built> built = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (RunSpec s : specs) {
            Built b = build(s, now, offsets);
            built.add(b);
            records.addAll(b.records());
        }
        records.sort(Comparator.comparing(ReadModelBench::time));
        long expected = before + records.size();
        long begin = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                infra.kafkaBootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.LINGER_MS_CONFIG,
                                5),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            List<Future<?>> acks = new ArrayList<>();
            for (ProducerRecord<String, byte[]> r : records) {
                acks.add(producer.send(r));
            }
            for (Future<?> a : acks) {
                a.get(60, TimeUnit.SECONDS);
            }
        }
        double sent = (System.nanoTime() - begin) / 1e9;
        long stored = 0;
        long first = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        try (Connection c =
                        DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                Statement st = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = st.executeQuery("select count(*) from pipeline_event")) {
                    rs.next();
                    stored = rs.getLong(1);
                }
                if (first == 0 && stored > before) {
                    first = System.nanoTime();
                }
                if (stored >= expected) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        double took = (System.nanoTime() - begin) / 1e9;
        System.out.printf(
                "live: %d runs, %d events published in %.1f s (acks=all), projected %s after"
                        + " %.1f s (the first after %.1f s): %.0f events/s (the history averaged"
                        + " %.2f events/s)%n",
                specs.size(),
                records.size(),
                sent,
                stored >= expected ? "all" : "only " + (stored - before),
                took,
                first == 0 ? 0 : (first - begin) / 1e9,
                (stored - before) / took,
                before / (double) SPAN.toSeconds());
        System.out.printf("PostgreSQL: %s%n", settings(db));
        check(db, built);
    }

    private static String settings(ServiceDatabase db) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c =
                        DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "select name, setting, unit from pg_settings where name in"
                                        + " ('server_version', 'shared_buffers', 'work_mem',"
                                        + " 'synchronous_commit', 'fsync', 'random_page_cost')"
                                        + " order by name")) {
            while (rs.next()) {
                out.append(rs.getString(1)).append('=').append(rs.getString(2));
                out.append(rs.getString(3) == null ? "" : " × " + rs.getString(3)).append("; ");
            }
        }
        return out.toString();
    }

    private static Instant time(ProducerRecord<String, byte[]> r) {
        return Instant.parse(
                new String(r.headers().lastHeader("ce_time").value(), StandardCharsets.UTF_8));
    }

    /** Compares the projection's rows with RunSummary.of / the stored shape the COPY writes. */
    private static void check(ServiceDatabase db, List<Built> built) throws Exception {
        int same = 0;
        List<String> differences = new ArrayList<>();
        Map<String, StoredEvent> byId = new HashMap<>();
        built.forEach(b -> b.stored().forEach(e -> byId.put(e.eventId(), e)));
        int eventsSame = 0;
        try (Connection c =
                        DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                PreparedStatement run =
                        c.prepareStatement(
                                "select started_at, updated_at, status, trigger_kind, trigger_id,"
                                        + " connections::text, transforms::text, steps::text,"
                                        + " failure, event_count from pipeline_run where"
                                        + " correlation_id = ?");
                PreparedStatement events =
                        c.prepareStatement(
                                "select e.event_id, e.data::text, e.headers::text, e.correlation_id,"
                                        + " e.event_time from pipeline_event e join run_event r on"
                                        + " r.event_id = e.event_id where r.correlation_id = ?")) {
            for (Built b : built) {
                RunSummary s = RunSummary.of(b.spec().correlationId(), b.stored());
                run.setString(1, s.correlationId());
                String difference;
                try (ResultSet rs = run.executeQuery()) {
                    if (!rs.next()) {
                        difference = "no row";
                    } else {
                        List<String> d = new ArrayList<>();
                        if (!rs.getTimestamp(1).toInstant().equals(s.startedAt()))
                            d.add("started_at");
                        if (!rs.getTimestamp(2).toInstant().equals(s.updatedAt()))
                            d.add("updated_at");
                        if (!rs.getString(3).equals(s.status().wire())) d.add("status");
                        if (!java.util.Objects.equals(rs.getString(4), s.triggerKind()))
                            d.add("trigger_kind");
                        if (!java.util.Objects.equals(rs.getString(5), s.triggerId()))
                            d.add("trigger_id");
                        if (!rs.getString(6).equals(array(s.connections()).replace("\"", "")))
                            d.add("connections");
                        if (!rs.getString(7).equals(array(s.transforms()).replace("\"", "")))
                            d.add("transforms");
                        if (!JSON.readTree(rs.getString(8)).equals(JSON.valueToTree(s.steps())))
                            d.add("steps");
                        if (!java.util.Objects.equals(rs.getString(9), s.failure()))
                            d.add("failure");
                        if (rs.getInt(10) != s.eventCount()) d.add("event_count");
                        difference = d.isEmpty() ? null : String.join(",", d);
                    }
                }
                events.setString(1, s.correlationId());
                try (ResultSet rs = events.executeQuery()) {
                    while (rs.next()) {
                        StoredEvent e = byId.get(rs.getString(1));
                        if (e != null
                                && JSON.readTree(rs.getString(2)).equals(e.data())
                                && JSON.readTree(rs.getString(3)).equals(e.headers())
                                && java.util.Objects.equals(rs.getString(4), e.correlationId())
                                && rs.getTimestamp(5).toInstant().equals(e.time())) {
                            eventsSame++;
                        }
                    }
                }
                if (difference == null) {
                    same++;
                } else if (differences.size() < 5) {
                    differences.add(s.correlationId() + ": " + difference);
                }
            }
        }
        System.out.printf(
                "shape check: %d of %d projected runs equal RunSummary.of of the generated events,"
                        + " %d of %d events stored as the COPY path stores them%s%n",
                same,
                built.size(),
                eventsSame,
                byId.size(),
                differences.isEmpty() ? "" : " — differences: " + differences);
    }

    // ---------------------------------------------------------------- measuring pages

    /** Follows the "Older runs" link {@code pages} times; answers the last link. */
    private static String walk(HttpClient http, String base, String session, int pages)
            throws Exception {
        String path = "/runs";
        long begin = System.nanoTime();
        List<Long> firstAndLast = new ArrayList<>();
        for (int i = 0; i < pages; i++) {
            long t = System.nanoTime();
            HttpResponse<String> r = get(http, base, session, path);
            firstAndLast.add(System.nanoTime() - t);
            Matcher m = OLDER.matcher(r.body());
            if (r.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("page " + (i + 1) + " has no older link: " + path);
            }
            path = m.group(1).replace("&amp;", "&");
        }
        int tenth = Math.max(1, pages / 10);
        System.out.printf(
                "walked %d pages through \"Older runs\" in %.1f s (mean of the first %d: %.1f ms,"
                        + " of the last %d: %.1f ms); deep page: %s%n",
                pages,
                (System.nanoTime() - begin) / 1e9,
                tenth,
                mean(firstAndLast.subList(0, tenth)),
                tenth,
                mean(firstAndLast.subList(pages - tenth, pages)),
                path);
        return path;
    }

    private static double mean(List<Long> nanos) {
        return nanos.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
    }

    private static void measure(
            HttpClient http,
            String base,
            String session,
            List<Page> pages,
            List<RunSpec> runs,
            Random pick,
            int rounds)
            throws Exception {
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        Map<String, Integer> errors = new HashMap<>();
        Map<String, Long> bytes = new HashMap<>();
        pages.forEach(p -> samples.put(p.name(), new ArrayList<>()));
        // Warm-up: JIT, connection pool, plan caches (not measured).
        for (int i = 0; i < 20; i++) {
            for (Page p : pages) {
                get(http, base, session, path(p, runs, pick));
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < PER_ROUND; k++) {
                // Interleaved, the order rotated every pass: no page always follows the same one.
                int shift = round * PER_ROUND + k;
                for (int j = 0; j < pages.size(); j++) {
                    Page p = pages.get((j + shift) % pages.size());
                    String path = path(p, runs, pick);
                    long t = System.nanoTime();
                    HttpResponse<String> r = get(http, base, session, path);
                    double ms = (System.nanoTime() - t) / 1e6;
                    samples.get(p.name()).add(ms);
                    bytes.merge(p.name(), (long) r.body().length(), Long::sum);
                    if (r.statusCode() != 200) {
                        errors.merge(p.name() + " " + r.statusCode(), 1, Integer::sum);
                    }
                }
            }
        }
        String ref = pages.get(pages.size() - 1).name();
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        double refMedian = pct(samples.get(ref), 50);
        double refP95 = pct(samples.get(ref), 95);
        System.out.printf(
                "%n%d rounds × %d interleaved requests per page, one client, after 20 warm-up"
                        + " passes (ms); /proc/loadavg at the end: %s%n",
                rounds, PER_ROUND, load);
        System.out.printf(
                "| %-42s | %4s | %7s | %7s | %7s | %7s | %8s | %8s | %6s | %s |%n",
                "page",
                "n",
                "min",
                "median",
                "p95",
                "max",
                "×ref med",
                "×ref p95",
                "KiB",
                "p95 < 100 ms");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Page p : pages) {
            List<Double> s = samples.get(p.name());
            double p95 = pct(s, 95);
            System.out.printf(
                    "| %-42s | %4d | %7.1f | %7.1f | %7.1f | %7.1f | %8.1f | %8.1f | %6.1f | %s |%n",
                    p.name(),
                    s.size(),
                    pct(s, 0),
                    pct(s, 50),
                    p95,
                    pct(s, 100),
                    pct(s, 50) / refMedian,
                    p95 / refP95,
                    bytes.get(p.name()) / (double) s.size() / 1024,
                    p95 < GOAL_MS ? "yes" : "MISSED");
        }
        if (!errors.isEmpty()) {
            System.out.printf("non-200 answers: %s%n", errors);
        }
        System.out.println(
                "(the overview includes the owners' health check, cached 5 s: with closed ports it is"
                        + " refused at once; a hung owner would add up to the 0.2 s owner timeout"
                        + " once per 5 s)");
    }

    private static String path(Page p, List<RunSpec> runs, Random pick) {
        if (p.path() != null) {
            return p.path();
        }
        return "/runs/"
                + URLEncoder.encode(
                        runs.get(pick.nextInt(runs.size())).correlationId(),
                        StandardCharsets.UTF_8);
    }

    private static double pct(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        if (p == 0) {
            return sorted.get(0);
        }
        return sorted.get(
                Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private ReadModelBench() {}
}
