package io.tributary.transform;

import static io.tributary.transform.support.TestSupport.DBT_WAIT;
import static io.tributary.transform.support.TestSupport.count;
import static io.tributary.transform.support.TestSupport.eventOfRun;
import static io.tributary.transform.support.TestSupport.reader;
import static io.tributary.transform.support.TestSupport.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tributary.events.EventType;
import io.tributary.events.TransformEvent;
import io.tributary.events.TransformStatus;
import io.tributary.events.TransformTriggerKind;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.transform.support.TestSupport;
import io.tributary.transform.support.TransformTestResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real dbt (the pinned venv) against real PostgreSQL and Kafka: the sandbox loads raw_shop, a
 * {@code sync.succeeded} of the shop connection builds the demo project, the marts hold the
 * expected rows, and the events carry the counts; then bad data fails the schema tests.
 */
@QuarkusTest
@WithTestResource(
        value = TransformTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "transform-service"),
        scope = TestResourceScope.GLOBAL)
class DbtPipelineTest {
    static final String SHOP = "c0ffee00-0000-4000-8000-000000000001";

    @InjectInfrastructure Infrastructure infra;

    @Test
    void dbtIsTheRealOneFromTheVenv() {
        Path dbt = Path.of("../deploy/dbt/.venv/bin/dbt");
        assertThat(Files.isExecutable(dbt))
                .as(
                        "dbt must be installed by deploy/dbt/ensure-venv.sh (the build runs it; it"
                                + " needs Python 3.10+ with venv and access to PyPI)")
                .isTrue();
    }

    @Test
    void aSucceededSyncBuildsTheMartsAndAFailingTestFailsTheRun() throws Exception {
        long job = TestSupport.loadShop(false);
        TestSupport.syncSucceeded(infra.kafkaBootstrapServers(), SHOP, 4242);

        // The consumer only queued the run: find it through the API.
        await().atMost(Duration.ofSeconds(60)).until(() -> !runsOf("shop_build").isEmpty());
        String runId = runsOf("shop_build").get(0);
        TransformEvent succeeded =
                eventOfRun(
                        infra.kafkaBootstrapServers(),
                        "shop_build",
                        EventType.TRANSFORM_SUCCEEDED,
                        runId);
        TransformEvent started =
                eventOfRun(
                        infra.kafkaBootstrapServers(),
                        "shop_build",
                        EventType.TRANSFORM_STARTED,
                        runId);
        assertThat(started.status()).isEqualTo(TransformStatus.STARTED);
        assertThat(succeeded.command()).isEqualTo("build");
        assertThat(succeeded.exitCode()).isZero();
        assertThat(succeeded.trigger().kind()).isEqualTo(TransformTriggerKind.SYNC);
        assertThat(succeeded.trigger().syncJobIds()).containsExactly(4242L);
        assertThat(succeeded.trigger().connectionIds()).containsExactly(SHOP);
        assertThat(succeeded.correlationId()).isEqualTo("corr-4242");
        // 5 models; 16 schema/singular tests; nothing failed or skipped.
        assertThat(succeeded.summary()).isEqualTo(new TransformEvent.Summary(5, 0, 0, 16, 0, 0));
        assertThat(succeeded.failures()).isEmpty();
        assertThat(succeeded.elapsed()).isPositive();

        assertThat(count("select count(*) from marts.customer_orders")).isEqualTo(20);
        assertThat(count("select sum(order_count) from marts.customer_orders")).isEqualTo(50);
        assertThat(count("select sum(orders) from marts.daily_revenue"))
                .isEqualTo(
                        count("select count(*) from raw_shop.payments where status = 'success'"));

        JsonPath run =
                reader().get("/api/runs/" + runId).then().statusCode(200).extract().jsonPath();
        assertThat(run.getString("status")).isEqualTo("succeeded");
        assertThat(run.getList("nodes.uniqueId"))
                .contains(
                        "model.tributary_demo.customer_orders",
                        "test.tributary_demo.orders_have_payments");
        assertThat(
                        run.getString(
                                "nodes.find { it.uniqueId == 'model.tributary_demo.customer_orders' }.status"))
                .isEqualTo("success");
        assertThat(
                        run.getInt(
                                "nodes.find { it.uniqueId == 'model.tributary_demo.customer_orders' }.rowsAffected"))
                .isEqualTo(20);
        assertThat(run.getList("logTail", String.class))
                .anyMatch(l -> l.contains("OK created sql table model marts.customer_orders"));
        assertThat(job).isPositive();

        // The run's dbt manifest is kept and served (read scope), once its end is announced.
        JsonPath manifest = manifest(runId);
        assertThat(manifest.getMap("nodes").keySet())
                .contains(
                        "model.tributary_demo.stg_customers",
                        "model.tributary_demo.stg_orders",
                        "model.tributary_demo.stg_payments",
                        "model.tributary_demo.customer_orders",
                        "model.tributary_demo.daily_revenue",
                        "test.tributary_demo.orders_have_payments");
        assertThat(manifest.getString("metadata.project_name")).isEqualTo("tributary_demo");
        assertThat(manifest.getString("nodes.'model.tributary_demo.customer_orders'.resource_type"))
                .isEqualTo("model");

        // The sandbox's "bad data" outcome breaks three rows: the schema tests catch them.
        TestSupport.loadShop(true);
        try {
            String failedRun =
                    writer().post("/api/transforms/shop_build/runs")
                            .then()
                            .statusCode(202)
                            .extract()
                            .path("runId");
            TransformEvent failed =
                    eventOfRun(
                            infra.kafkaBootstrapServers(),
                            "shop_build",
                            EventType.TRANSFORM_FAILED,
                            failedRun);
            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.trigger().kind()).isEqualTo(TransformTriggerKind.MANUAL);
            assertThat(failed.summary().fail()).isEqualTo(4);
            // Downstream of the failing tests: the two marts, their tests, and the demo's
            // revenue_dashboard exposure, which dbt build lists as skipped too.
            assertThat(failed.summary().skipped()).isEqualTo(7);
            assertThat(failed.failures())
                    .extracting(TransformEvent.NodeFailure::uniqueId)
                    .anyMatch(
                            id ->
                                    id.startsWith(
                                            "test.tributary_demo.not_null_stg_orders_customer_id"))
                    .anyMatch(
                            id ->
                                    id.startsWith(
                                            "test.tributary_demo.relationships_stg_orders_customer_id"))
                    .anyMatch(
                            id ->
                                    id.startsWith(
                                            "test.tributary_demo.non_negative_stg_payments_amount"));
            assertThat(failed.failures())
                    .allSatisfy(
                            f -> {
                                assertThat(f.status()).isEqualTo("fail");
                                assertThat(f.message())
                                        .isEqualTo("Got 1 result, configured to fail if != 0");
                            });
            assertThat(failed.message()).contains("4 node(s) failed");
            // A failed run wrote a manifest too: the newest run's is served now.
            assertThat(manifest(failedRun).getMap("nodes"))
                    .containsKey("model.tributary_demo.customer_orders");
        } finally {
            TestSupport.loadShop(false);
        }
    }

    /** {@code GET /api/transforms/shop_build/manifest}, checking it is {@code runId}'s. */
    static JsonPath manifest(String runId) {
        return reader().get("/api/transforms/shop_build/manifest")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .header("Tributary-Run-Id", runId)
                .extract()
                .jsonPath();
    }

    static List<String> runsOf(String transform) {
        return reader().get("/api/transforms/" + transform + "/runs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("runId", String.class);
    }

    static Duration dbtWait() {
        return DBT_WAIT;
    }
}
