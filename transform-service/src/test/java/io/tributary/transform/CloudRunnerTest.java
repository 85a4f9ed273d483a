package io.tributary.transform;

import static io.tributary.transform.support.TestSupport.eventOfRun;
import static io.tributary.transform.support.TestSupport.writer;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.EventType;
import io.tributary.events.TransformEvent;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.transform.support.TransformTestResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code runner: cloud} against a local stub of the dbt Cloud API v2 (see DbtCloudStub). */
@QuarkusTest
@WithTestResource(
        value = TransformTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "transform-service"),
        scope = TestResourceScope.GLOBAL)
class CloudRunnerTest {

    @InjectInfrastructure Infrastructure infra;

    static String run(String name, long jobId) {
        writer().body(Map.of("runner", "cloud", "cloud", Map.of("accountId", 12, "jobId", jobId)))
                .put("/api/transforms/" + name)
                .then()
                .statusCode(201);
        return writer().post("/api/transforms/" + name + "/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("runId");
    }

    @Test
    void aCloudJobIsTriggeredPolledAndItsResultsRead() {
        String runId = run("cloud_ok", 1);
        TransformEvent ok =
                eventOfRun(
                        infra.kafkaBootstrapServers(),
                        "cloud_ok",
                        EventType.TRANSFORM_SUCCEEDED,
                        runId);
        assertThat(ok.summary()).isEqualTo(new TransformEvent.Summary(5, 0, 0, 16, 0, 0));
    }

    @Test
    void aFailedCloudJobFailsTheRunWithItsFailingTests() {
        String runId = run("cloud_error", 2);
        TransformEvent failed =
                eventOfRun(
                        infra.kafkaBootstrapServers(),
                        "cloud_error",
                        EventType.TRANSFORM_FAILED,
                        runId);
        assertThat(failed.message()).contains("failed: Database Error in model stg_orders");
        assertThat(failed.failures()).hasSize(4);
    }

    @Test
    void aCloudRunIsCancelledThroughTheApi() {
        String runId = run("cloud_cancel", 3);
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .until(
                        () ->
                                io.tributary.transform.support.TestSupport.reader()
                                        .get("/api/runs/" + runId)
                                        .jsonPath()
                                        .getList("logTail", String.class)
                                        .stream()
                                        .anyMatch(l -> l.contains("Running")));
        writer().delete("/api/runs/" + runId).then().statusCode(202);
        TransformEvent failed =
                eventOfRun(
                        infra.kafkaBootstrapServers(),
                        "cloud_cancel",
                        EventType.TRANSFORM_FAILED,
                        runId);
        assertThat(failed.message()).isEqualTo("cancelled by writer");
    }
}
