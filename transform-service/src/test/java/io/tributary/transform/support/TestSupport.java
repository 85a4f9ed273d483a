package io.tributary.transform.support;

import static io.restassured.RestAssured.given;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventIds;
import io.tributary.events.EventType;
import io.tributary.events.JobType;
import io.tributary.events.StreamStats;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncStarted;
import io.tributary.events.SyncStatus;
import io.tributary.events.Topics;
import io.tributary.events.TransformEvent;
import io.tributary.local.TopicReader;
import io.tributary.sandbox.AirbyteSandbox;
import io.tributary.sandbox.ConnectionScript;
import io.tributary.sandbox.JobStatus;
import io.tributary.sandbox.SandboxAuth;
import io.tributary.support.inbox.ProcessedEvents;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;

/** Shared helpers: API tokens, sync events on Kafka, transform events, the warehouse's data. */
public final class TestSupport {
    public static final String WRITER_TOKEN = "test-writer-token-0123456789";
    public static final String READER_TOKEN = "test-reader-token-0123456789";

    /** Long enough for dbt on two busy shared cores. */
    public static final Duration DBT_WAIT = Duration.ofSeconds(180);

    private TestSupport() {}

    public static RequestSpecification writer() {
        return given().auth().oauth2(WRITER_TOKEN).contentType(ContentType.JSON);
    }

    public static RequestSpecification reader() {
        return given().auth().oauth2(READER_TOKEN);
    }

    /**
     * Publishes {@code sync.succeeded} of Airbyte jobs, in this order, as the sync-monitor would
     * (one producer for all: triggers meant to arrive together do).
     */
    public static void syncSucceeded(String bootstrap, String connectionId, long... jobIds)
            throws Exception {
        List<SyncFinished> endings = new java.util.ArrayList<>();
        for (long jobId : jobIds) {
            endings.add(succeeded(connectionId, jobId));
        }
        publish(bootstrap, endings);
    }

    /** Publishes {@code sync.succeeded} events in this order with one producer. */
    private static void publish(String bootstrap, List<SyncFinished> endings) throws Exception {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            for (SyncFinished ending : endings) {
                producer.send(
                                CloudEventKafka.record(
                                        EventType.SYNC_SUCCEEDED,
                                        syncEventId(ending.connectionId(), ending.jobId()),
                                        ending.connectionId(),
                                        ending,
                                        "/tests"))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Publishes the {@code sync.succeeded} of an Airbyte job with what it committed per stream
     * ({@code streams} null: not reported), as the sync-monitor does for self-managed Airbyte.
     */
    public static void syncSucceeded(
            String bootstrap, String connectionId, long jobId, List<StreamStats> streams)
            throws Exception {
        publish(bootstrap, List.of(succeeded(connectionId, jobId).withStreams(streams)));
    }

    /**
     * Waits until the service consumed these sync endings: their ce_ids are recorded in the
     * transaction that queues (or not) the runs they trigger.
     */
    public static void awaitConsumed(
            ProcessedEvents processed, String connectionId, long... jobIds) {
        for (long job : jobIds) {
            String ceId = syncEventId(connectionId, job);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    QuarkusTransaction.requiringNew()
                                            .call(() -> processed.isProcessed(ceId)));
        }
    }

    /** One stream's counts in a sync ending. */
    public static StreamStats stream(String namespace, String name, Long records) {
        return new StreamStats(namespace, name, records, records == null ? null : records * 100);
    }

    /**
     * The data of a {@code sync.succeeded} of an Airbyte job (correlation id {@code corr-<job>}).
     */
    public static SyncFinished succeeded(String connectionId, long jobId) {
        SyncStarted started =
                new SyncStarted(
                        connectionId,
                        jobId,
                        JobType.SYNC,
                        List.of(UUID.randomUUID().toString()),
                        false,
                        Instant.now().minusSeconds(20).truncatedTo(ChronoUnit.SECONDS),
                        "corr-" + jobId);
        return SyncFinished.of(
                started,
                SyncStatus.SUCCEEDED,
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                120L,
                4096L,
                null,
                null);
    }

    /** The ce_id of the {@code sync.succeeded} that {@link #syncSucceeded} publishes. */
    public static String syncEventId(String connectionId, long jobId) {
        return EventIds.derive("sync.ended", Long.toString(jobId), connectionId);
    }

    /** The transform events of a transform seen so far (waits for {@code count} of them). */
    public static List<TransformEvent> transformEvents(
            String bootstrap, String transform, EventType type, int count, Duration wait) {
        try (TopicReader reader = new TopicReader(bootstrap, Topics.TRANSFORM_EVENTS)) {
            return reader.await(r -> isOf(r, transform, type), count, wait).stream()
                    .map(TestSupport::transformEvent)
                    .toList();
        }
    }

    /**
     * The transform event of one run, waiting for it: one reader follows the topic until it arrives
     * (a reader per look cost a consumer group join and its wait every time).
     */
    public static TransformEvent eventOfRun(
            String bootstrap, String transform, EventType type, String runId) {
        try (TopicReader reader = new TopicReader(bootstrap, Topics.TRANSFORM_EVENTS)) {
            return reader
                    .await(
                            r ->
                                    isOf(r, transform, type)
                                            && transformEvent(r).runId().equals(runId),
                            1,
                            DBT_WAIT)
                    .stream()
                    .map(TestSupport::transformEvent)
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new AssertionError(
                                            "no "
                                                    + type.type()
                                                    + " of run "
                                                    + runId
                                                    + " within "
                                                    + DBT_WAIT));
        }
    }

    private static boolean isOf(
            ConsumerRecord<String, byte[]> record, String transform, EventType type) {
        return transform.equals(record.key())
                && type.type()
                        .equals(CloudEventKafka.header(record.headers(), CloudEventKafka.CE_TYPE));
    }

    private static TransformEvent transformEvent(ConsumerRecord<String, byte[]> record) {
        return CloudEventKafka.readValidated(record)
                .toOptional()
                .orElseThrow()
                .data(TransformEvent.class);
    }

    public static String warehouseUrl() {
        return ConfigProvider.getConfig().getValue("test.warehouse.jdbc-url", String.class);
    }

    public static Connection warehouse() throws Exception {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(
                warehouseUrl(),
                config.getValue("tributary.transform.dbt-env.WAREHOUSE_USER", String.class),
                config.getValue("tributary.transform.dbt-env.WAREHOUSE_PASSWORD", String.class));
    }

    public static long count(String sql) throws Exception {
        try (Connection c = warehouse();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Loads raw_shop the way the sandbox's "shop → postgres" connection does: one sync, good or
     * with the "bad data" outcome; returns its Airbyte job id.
     */
    public static synchronized long loadShop(boolean badData) throws Exception {
        var config = ConfigProvider.getConfig();
        try (AirbyteSandbox sandbox =
                AirbyteSandbox.builder()
                        .port(0)
                        .auth(SandboxAuth.none())
                        .jdbcUrl(
                                warehouseUrl(),
                                config.getValue(
                                        "tributary.transform.dbt-env.WAREHOUSE_USER", String.class),
                                config.getValue(
                                        "tributary.transform.dbt-env.WAREHOUSE_PASSWORD",
                                        String.class))
                        .build()
                        .start()) {
            UUID shop =
                    sandbox.connection("shop → postgres")
                            .loadsShopData()
                            .script(
                                    badData
                                            ? ConnectionScript.badData(Duration.ofMillis(200), 0)
                                            : ConnectionScript.succeedAfter(
                                                    Duration.ofMillis(200), 0))
                            .add();
            long job = sandbox.startJobOutside(shop);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> sandbox.job(job).status() == JobStatus.SUCCEEDED);
            return job;
        }
    }

    /** Creates or replaces a transform through the API. */
    public static void define(String name, Map<String, Object> definition) {
        writer().body(definition)
                .put("/api/transforms/" + name)
                .then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    }

    /** The id of the transform's run whose trigger carries this Airbyte job, once queued. */
    public static String runOfJob(String transform, long jobId) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                reader().get("/api/transforms/" + transform + "/runs?limit=50")
                                        .then()
                                        .statusCode(200)
                                        .extract()
                                        .jsonPath()
                                        .getString(
                                                "find { it.trigger.syncJobIds.contains("
                                                        + jobId
                                                        + ") }.runId"),
                        id -> id != null);
    }

    /** Runs a statement in the warehouse (as dbt's login). */
    public static void warehouseSql(String... statements) throws Exception {
        try (Connection c = warehouse();
                Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    private static boolean loaded;

    /** Good raw data, loaded once per test JVM (tests that break it restore it). */
    public static synchronized void ensureShopLoaded() throws Exception {
        if (!loaded) {
            loadShop(false);
            loaded = true;
        }
    }
}
