package io.tributary.transform;

import static io.tributary.transform.support.TestSupport.DBT_WAIT;
import static io.tributary.transform.support.TestSupport.define;
import static io.tributary.transform.support.TestSupport.eventOfRun;
import static io.tributary.transform.support.TestSupport.reader;
import static io.tributary.transform.support.TestSupport.runOfJob;
import static io.tributary.transform.support.TestSupport.stream;
import static io.tributary.transform.support.TestSupport.syncSucceeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import io.tributary.events.Topics;
import io.tributary.events.TransformEvent;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TopicReader;
import io.tributary.support.inbox.ProcessedEvents;
import io.tributary.transform.support.TestSupport;
import io.tributary.transform.support.TransformTestResource;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code select: changed} with real dbt: the sync endings' per-stream counts narrow the run to the
 * changed sources' downstream, a sync that committed nothing makes no dbt run ({@code
 * transform.skipped}), and streams that cannot be trusted fall back to the full selection with the
 * reason. In order: the fallbacks build the views the narrowed build's tests read.
 */
@QuarkusTest
@WithTestResource(
        value = TransformTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "transform-service"),
        scope = TestResourceScope.GLOBAL)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChangedSelectionTest {
    static final String SHOP = "c4a6ed00-0000-4000-8000-000000000018";
    static final String CHEAP = "c4a6ed00-0000-4000-8000-000000000019";

    @InjectInfrastructure Infrastructure infra;
    @Inject DataSource dataSource;
    @Inject ProcessedEvents processed;

    /** The demo's build, narrowed to what changed. */
    static void defineShopChanged() {
        define(
                "shop_changed",
                Map.of(
                        "projectDir", "demo",
                        "profilesDir", "demo",
                        "command", "build",
                        "select", "changed",
                        "upstream", Map.of("connectionIds", List.of(SHOP))));
    }

    /**
     * Its full selection runs two views (what the narrowed build's tests read besides its own): the
     * fallbacks cost little dbt time.
     */
    static void defineCheap() {
        define(
                "changed_cheap",
                Map.of(
                        "projectDir", "demo",
                        "profilesDir", "demo",
                        "command", "run",
                        "select", "changed",
                        "exclude", "stg_orders customer_orders daily_revenue",
                        "upstream", Map.of("connectionIds", List.of(CHEAP))));
    }

    @Test
    @Order(2)
    void onlyOrdersChangedBuildsOnlyWhatReadsOrders() throws Exception {
        TestSupport.ensureShopLoaded();
        defineShopChanged();
        // The views its tests read (stg_customers, stg_payments) were built by the fallbacks.
        syncSucceeded(
                infra.kafkaBootstrapServers(),
                SHOP,
                1801,
                List.of(
                        stream("raw_shop", "customers", 0L),
                        stream("raw_shop", "orders", 12L),
                        stream("raw_shop", "payments", 0L)));
        String runId = runOfJob("shop_changed", 1801);
        TransformEvent started =
                eventOfRun(
                        infra.kafkaBootstrapServers(),
                        "shop_changed",
                        EventType.TRANSFORM_STARTED,
                        runId);
        assertThat(started.select()).isEqualTo("source:raw_shop.orders+");
        assertThat(started.changedStreams()).containsExactly("raw_shop.orders");
        TransformEvent succeeded =
                eventOfRun(
                        infra.kafkaBootstrapServers(),
                        "shop_changed",
                        EventType.TRANSFORM_SUCCEEDED,
                        runId);
        assertThat(succeeded.select()).isEqualTo("source:raw_shop.orders+");
        assertThat(succeeded.selectionReason())
                .isEqualTo("changed streams raw_shop.orders → source:raw_shop.orders+");
        assertThat(succeeded.changedStreams()).containsExactly("raw_shop.orders");

        JsonPath run =
                reader().get("/api/runs/" + runId).then().statusCode(200).extract().jsonPath();
        assertThat(run.getString("select")).isEqualTo("source:raw_shop.orders+");
        assertThat(run.getString("selectionReason")).startsWith("changed streams raw_shop.orders");
        assertThat(run.getList("changedStreams")).containsExactly("raw_shop.orders");
        List<String> nodes = run.getList("nodes.uniqueId", String.class);
        assertThat(nodes)
                .contains(
                        "model.tributary_demo.stg_orders",
                        "model.tributary_demo.customer_orders",
                        "model.tributary_demo.daily_revenue",
                        "test.tributary_demo.orders_have_payments")
                .doesNotContain(
                        "model.tributary_demo.stg_customers", "model.tributary_demo.stg_payments");
        assertThat(run.getList("nodes.status", String.class)).doesNotContain("error", "fail");
    }

    @Test
    @Order(3)
    void aSyncThatCommittedNothingMakesNoDbtRunAndOneSkippedEvent() throws Exception {
        defineShopChanged();
        syncSucceeded(
                infra.kafkaBootstrapServers(),
                SHOP,
                1802,
                List.of(stream("raw_shop", "customers", 0L), stream("raw_shop", "orders", 0L)));
        String runId = runOfJob("shop_changed", 1802);
        TransformEvent skipped =
                eventOfRun(
                        infra.kafkaBootstrapServers(),
                        "shop_changed",
                        EventType.TRANSFORM_SKIPPED,
                        runId);
        assertThat(skipped.message())
                .isEqualTo("no stream committed records in sync job(s) 1802: nothing to build");
        assertThat(skipped.finishedAt()).isEqualTo(skipped.startedAt());
        assertThat(skipped.changedStreams()).isEmpty();
        assertThat(skipped.correlationId()).isEqualTo("corr-1802");
        JsonPath run =
                reader().get("/api/runs/" + runId).then().statusCode(200).extract().jsonPath();
        assertThat(run.getString("status")).isEqualTo("skipped");
        assertThat(run.getList("nodes")).isEmpty();
        // dbt never ran: no run_results, and the run's only event is the skipped one (a started
        // would precede it on the transform's partition).
        assertThat(Path.of("target/dbt-runs/shop_changed", runId, "target/run_results.json"))
                .doesNotExist();
        try (TopicReader events =
                new TopicReader(infra.kafkaBootstrapServers(), Topics.TRANSFORM_EVENTS)) {
            assertThat(
                            events
                                    .await(r -> isOfRun(r, "shop_changed", runId), 1, DBT_WAIT)
                                    .stream()
                                    .map(
                                            r ->
                                                    CloudEventKafka.header(
                                                            r.headers(), CloudEventKafka.CE_TYPE))
                                    .toList())
                    .containsExactly(EventType.TRANSFORM_SKIPPED.type());
        }
    }

    @Test
    @Order(4)
    void aFanInIsJudgedOnEveryLandedSyncsStreams() throws Exception {
        String a = "c4a6ed00-0000-4000-8000-00000000001a";
        String b = "c4a6ed00-0000-4000-8000-00000000001b";
        define(
                "changed_fanin",
                Map.of(
                        "projectDir", "demo",
                        "profilesDir", "demo",
                        "select", "changed",
                        "upstream", Map.of("connectionIds", List.of(a, b), "when", "all")));
        // a lands twice (its first sync committed nothing either), then b completes the fan-in.
        syncSucceeded(
                infra.kafkaBootstrapServers(),
                a,
                1901,
                List.of(stream("raw_shop", "customers", 0L)));
        syncSucceeded(
                infra.kafkaBootstrapServers(),
                a,
                1902,
                List.of(stream("raw_shop", "customers", 0L)));
        // b only once a's endings were consumed: they may sit on another partition.
        TestSupport.awaitConsumed(processed, a, 1901, 1902);
        syncSucceeded(
                infra.kafkaBootstrapServers(), b, 1903, List.of(stream("raw_shop", "orders", 0L)));
        String runId = runOfJob("changed_fanin", 1903);
        TransformEvent skipped =
                eventOfRun(
                        infra.kafkaBootstrapServers(),
                        "changed_fanin",
                        EventType.TRANSFORM_SKIPPED,
                        runId);
        assertThat(skipped.message())
                .isEqualTo(
                        "no stream committed records in sync job(s) 1901, 1902, 1903: nothing to"
                                + " build");
        assertThat(skipped.trigger().syncJobIds()).containsExactly(1902L, 1903L);
    }

    static boolean isOfRun(ConsumerRecord<String, byte[]> r, String transform, String runId) {
        return transform.equals(r.key())
                && CloudEventKafka.readValidated(r)
                        .toOptional()
                        .map(e -> runId.equals(e.data(TransformEvent.class).runId()))
                        .orElse(false);
    }

    @Test
    @Order(1)
    void streamsThatCannotBeTrustedFallBackToTheFullSelectionWithTheReason() throws Exception {
        TestSupport.ensureShopLoaded();
        defineCheap();
        // No manifest of the project is kept (earlier test classes' runs kept some): the first
        // stream to map makes the run write one with dbt parse. This one no source reads.
        forgetManifests();
        JsonPath unknown = fallback(1804, List.of(stream("raw_shop", "refunds", 3L)));
        assertThat(unknown.getString("selectionReason"))
                .startsWith("full selection: stream raw_shop.refunds feeds no dbt source");
        assertThat(unknown.getList("nodes.uniqueId"))
                .containsExactlyInAnyOrder(
                        "model.tributary_demo.stg_customers", "model.tributary_demo.stg_payments");
        assertThat(
                        Path.of(
                                "target/dbt-runs/changed_cheap",
                                unknown.getString("runId"),
                                "logs/parse.out"))
                .exists();
        // A name that would reach dbt's selector syntax.
        assertThat(
                        fallback(1803, List.of(stream("raw_shop", "orders,customers+", 3L)))
                                .getString("selectionReason"))
                .isEqualTo(
                        "full selection: stream name 'orders,customers+' refused (letters, digits"
                                + " and _ only) (sync job 1803)");
        // A negative count.
        assertThat(
                        fallback(1805, List.of(stream("raw_shop", "orders", -3L)))
                                .getString("selectionReason"))
                .startsWith("full selection: stream raw_shop.orders has an unknown record count");
        // The project's freshest manifest does not parse.
        UUID broken = insertBrokenManifest();
        try {
            assertThat(
                            fallback(1807, List.of(stream("raw_shop", "orders", 3L)))
                                    .getString("selectionReason"))
                    .startsWith("full selection: the project's manifest is unavailable");
        } finally {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement st =
                            c.prepareStatement("delete from transform_run where run_id = ?")) {
                st.setObject(1, broken);
                st.executeUpdate();
            }
        }
    }

    /** Publishes an ending and checks the run fell back to its full selection; its API view. */
    private JsonPath fallback(long job, List<io.tributary.events.StreamStats> streams)
            throws Exception {
        syncSucceeded(infra.kafkaBootstrapServers(), CHEAP, job, streams);
        String runId = runOfJob("changed_cheap", job);
        TransformEvent succeeded =
                eventOfRun(
                        infra.kafkaBootstrapServers(),
                        "changed_cheap",
                        EventType.TRANSFORM_SUCCEEDED,
                        runId);
        assertThat(succeeded.select()).isNull();
        assertThat(succeeded.selectionReason()).startsWith("full selection: ");
        JsonPath run =
                reader().get("/api/runs/" + runId).then().statusCode(200).extract().jsonPath();
        assertThat(run.getString("selectionReason")).isEqualTo(succeeded.selectionReason());
        assertThat(run.getString("select")).isNull();
        return run;
    }

    /** Deletes every kept manifest of the demo project. */
    private void forgetManifests() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st =
                        c.prepareStatement(
                                "delete from transform_manifest where run_id in (select run_id"
                                        + " from transform_run where project_key = ?)")) {
            st.setString(1, Path.of("../deploy/dbt/demo").toRealPath().toString());
            st.executeUpdate();
        }
    }

    /** A finished run of the demo project whose kept manifest is cut short, the freshest. */
    private UUID insertBrokenManifest() throws Exception {
        UUID runId = UUID.randomUUID();
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write(
                    "{\"metadata\": {}, \"sources\": {\"source.x".getBytes(StandardCharsets.UTF_8));
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement run =
                        c.prepareStatement(
                                "insert into transform_run (run_id, transform_name, project_key,"
                                        + " status, trigger_kind, not_before, finished_at)"
                                        + " select ?, 'changed_cheap', project_key, 'succeeded',"
                                        + " 'manual', now(), now() from transform_run"
                                        + " where transform_name = 'changed_cheap' limit 1");
                PreparedStatement manifest =
                        c.prepareStatement(
                                "insert into transform_manifest (run_id, transform_name,"
                                        + " created_at, size_bytes, manifest_gzip)"
                                        + " values (?, 'changed_cheap', now() + interval '1 day',"
                                        + " 40, ?)")) {
            run.setObject(1, runId);
            assertThat(run.executeUpdate()).isEqualTo(1);
            manifest.setObject(1, runId);
            manifest.setBytes(2, gzip.toByteArray());
            manifest.executeUpdate();
        }
        return runId;
    }
}
