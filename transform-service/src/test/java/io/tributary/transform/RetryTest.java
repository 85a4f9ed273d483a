package io.tributary.transform;

import static io.tributary.transform.support.TestSupport.define;
import static io.tributary.transform.support.TestSupport.eventOfRun;
import static io.tributary.transform.support.TestSupport.reader;
import static io.tributary.transform.support.TestSupport.warehouseSql;
import static io.tributary.transform.support.TestSupport.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tributary.events.EventType;
import io.tributary.events.TransformEvent;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.transform.support.TestSupport;
import io.tributary.transform.support.TransformTestResource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code dbt retry}: on request and by a definition's policy, with real dbt. The demo's {@code
 * retry_probe} model reads the table named by its var: missing, the model errors and its downstream
 * is skipped; with a negative {@code n}, its data test fails.
 */
@QuarkusTest
@WithTestResource(
        value = TransformTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "transform-service"),
        scope = TestResourceScope.GLOBAL)
class RetryTest {
    static final String MODEL = "model.tributary_demo.retry_probe";
    static final String DOWNSTREAM = "model.tributary_demo.retry_probe_total";
    static final String TEST = "test.tributary_demo.retry_probe_non_negative";

    @InjectInfrastructure Infrastructure infra;

    static Map<String, Object> probe(String table, String select, Map<String, Object> retry) {
        Map<String, Object> d =
                new java.util.HashMap<>(
                        Map.of(
                                "projectDir", "demo",
                                "profilesDir", "demo",
                                "command", "build",
                                "select", select,
                                // stg_customers' relationships test reads stg_orders: not here.
                                "exclude", "stg_orders+",
                                "vars", Map.of("retry_probe_table", table)));
        if (retry != null) {
            d.put("retry", retry);
        }
        return d;
    }

    @Test
    void aRunThatFailedOnAModelErrorIsRetriedOnlyWhereItFailedAndSucceeds() throws Exception {
        TestSupport.ensureShopLoaded();
        warehouseSql("drop schema if exists probe_api cascade");
        define("retry_api", probe("probe_api.input", "stg_customers retry_probe+", null));
        String first = runNow("retry_api");
        assertFailedOn("retry_api", first, MODEL, "error");
        assertThat(statusOf(first, "model.tributary_demo.stg_customers")).isEqualTo("success");
        assertThat(statusOf(first, DOWNSTREAM)).isEqualTo("skipped");

        reader().post("/api/runs/" + first + "/retry").then().statusCode(403);
        writer().post("/api/runs/" + UUID.randomUUID() + "/retry").then().statusCode(404);

        // The cause is fixed: the table exists now.
        warehouseSql(
                "create schema probe_api",
                "create table probe_api.input (n int)",
                "insert into probe_api.input values (1), (2)");
        String retry =
                writer().post("/api/runs/" + first + "/retry")
                        .then()
                        .statusCode(202)
                        .body("retryOf", equalTo(first))
                        .body("status", equalTo("queued"))
                        .extract()
                        .path("runId");
        TransformEvent succeeded =
                eventOfRun(
                        infra.kafkaBootstrapServers(),
                        "retry_api",
                        EventType.TRANSFORM_SUCCEEDED,
                        retry);
        assertThat(succeeded.retryOf()).isEqualTo(first);
        assertThat(succeeded.command()).isEqualTo("retry");
        assertThat(succeeded.selectionReason())
                .isEqualTo("retry of run " + first + ": its failed and skipped nodes");
        JsonPath run = view(retry);
        assertThat(run.getString("retryOf")).isEqualTo(first);
        // Only what failed or was skipped ran again: not stg_customers.
        assertThat(run.getList("nodes.uniqueId", String.class))
                .containsExactlyInAnyOrder(MODEL, DOWNSTREAM, TEST);
        assertThat(statusOf(retry, MODEL)).isEqualTo("success");
        assertThat(statusOf(retry, DOWNSTREAM)).isEqualTo("success");
        assertThat(TestSupport.count("select total from ops.retry_probe_total")).isEqualTo(3);

        // Nothing failed in the retry: nothing to retry; a queued or running run is no candidate.
        writer().post("/api/runs/" + retry + "/retry").then().statusCode(409);
    }

    @Test
    void anErrorIsRetriedAutomaticallyUpToMaxAttemptsAndAFailedTestIsNot() throws Exception {
        TestSupport.ensureShopLoaded();
        warehouseSql("drop schema if exists probe_auto cascade");
        define(
                "retry_auto",
                probe(
                        "probe_auto.input",
                        "retry_probe+",
                        Map.of("maxAttempts", 1, "backoff", "PT1S")));
        String first = runNow("retry_auto");
        eventOfRun(infra.kafkaBootstrapServers(), "retry_auto", EventType.TRANSFORM_FAILED, first);
        // The retry was queued with the end (one transaction): it is there now.
        List<Map<String, Object>> runs = runs("retry_auto");
        assertThat(runs).hasSize(2);
        Map<String, Object> retry = runs.get(0);
        assertThat(retry.get("retryOf")).isEqualTo(first);
        assertThat(retry.get("retryNumber")).isEqualTo(1);
        String retryId = (String) retry.get("runId");
        TransformEvent retried = assertFailedOn("retry_auto", retryId, MODEL, "error");
        assertThat(retried.retryOf()).isEqualTo(first);
        assertThat(retried.command()).isEqualTo("retry");
        // maxAttempts 1: the retry's failure is final.
        assertThat(runs("retry_auto")).hasSize(2);

        // A failed data test is not retried (includeTestFailures is false by default).
        warehouseSql(
                "drop schema if exists probe_fail cascade",
                "create schema probe_fail",
                "create table probe_fail.input (n int)",
                "insert into probe_fail.input values (-1)");
        define(
                "retry_fail",
                probe(
                        "probe_fail.input",
                        "retry_probe+",
                        Map.of("maxAttempts", 2, "backoff", "PT0S")));
        assertFailedOn("retry_fail", runNow("retry_fail"), TEST, "fail");
        assertThat(runs("retry_fail")).hasSize(1);
    }

    @Test
    void aRunThatHasNotFinishedCannotBeRetried() throws Exception {
        String conn = "2e000000-0000-4000-8000-000000000018";
        define(
                "retry_queued",
                Map.of(
                        "projectDir", "demo",
                        "profilesDir", "demo",
                        "debounce", "PT1H",
                        "upstream", Map.of("connectionIds", List.of(conn))));
        TestSupport.syncSucceeded(infra.kafkaBootstrapServers(), conn, 1850);
        String queued = TestSupport.runOfJob("retry_queued", 1850);
        writer().post("/api/runs/" + queued + "/retry")
                .then()
                .statusCode(409)
                .body("detail", equalTo("run " + queued + " has not finished (queued)"));
        writer().delete("/api/runs/" + queued).then().statusCode(200);
        writer().post("/api/runs/" + queued + "/retry")
                .then()
                .statusCode(409)
                .body("detail", equalTo("run " + queued + " had nothing failed (cancelled)"));
    }

    /** Waits for the run's {@code transform.failed}: it names only {@code node}, with status. */
    TransformEvent assertFailedOn(String transform, String runId, String node, String status) {
        TransformEvent failed =
                eventOfRun(
                        infra.kafkaBootstrapServers(),
                        transform,
                        EventType.TRANSFORM_FAILED,
                        runId);
        assertThat(failed.failures())
                .extracting(
                        TransformEvent.NodeFailure::uniqueId, TransformEvent.NodeFailure::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(node, status));
        return failed;
    }

    static String runNow(String transform) {
        return writer().post("/api/transforms/" + transform + "/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("runId");
    }

    static JsonPath view(String runId) {
        return reader().get("/api/runs/" + runId).then().statusCode(200).extract().jsonPath();
    }

    static String statusOf(String runId, String node) {
        return view(runId).getString("nodes.find { it.uniqueId == '" + node + "' }.status");
    }

    static List<Map<String, Object>> runs(String transform) {
        return reader().get("/api/transforms/" + transform + "/runs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
    }
}
