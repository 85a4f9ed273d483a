package io.tributary.transform;

import static io.tributary.transform.support.TestSupport.eventOfRun;
import static io.tributary.transform.support.TestSupport.reader;
import static io.tributary.transform.support.TestSupport.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.tributary.events.EventType;
import io.tributary.events.TransformEvent;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.transform.support.TransformTestResource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * {@code runner: cloud} against a local stand-in of the dbt Cloud API v2 (see DbtCloudStub): dbt
 * Cloud itself cannot be reached from here. Also its faults: 503 and 429 answers, a call that never
 * answers, and the cancel sent when Tributary gives up on a dbt Cloud run.
 */
@QuarkusTest
@WithTestResource(
        value = TransformTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "transform-service"),
        scope = TestResourceScope.GLOBAL)
class CloudRunnerTest {
    private static final Pattern CLOUD_RUN = Pattern.compile("dbt Cloud run (\\d+)");

    @InjectInfrastructure Infrastructure infra;

    static String run(String name, long jobId) {
        return run(name, jobId, null);
    }

    static String run(String name, long jobId, String timeout) {
        Map<String, Object> body = new HashMap<>();
        body.put("runner", "cloud");
        body.put("cloud", Map.of("accountId", 12, "jobId", jobId));
        if (timeout != null) {
            body.put("timeout", timeout);
        }
        writer().body(body).put("/api/transforms/" + name).then().statusCode(201);
        return writer().post("/api/transforms/" + name + "/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("runId");
    }

    @Test
    void aCloudJobIsTriggeredPolledAndItsResultsRead() {
        String runId = run("cloud_ok", 1);
        TransformEvent ok = event("cloud_ok", EventType.TRANSFORM_SUCCEEDED, runId);
        assertThat(ok.summary()).isEqualTo(new TransformEvent.Summary(5, 0, 0, 16, 0, 0));
        // What it executed, recorded when it was claimed.
        reader().get("/api/runs/" + runId)
                .then()
                .body("runner", equalTo("cloud"))
                .body("command", equalTo("build"));
    }

    @Test
    void aFailedCloudJobFailsTheRunWithItsFailingTests() {
        String runId = run("cloud_error", 2);
        TransformEvent failed = event("cloud_error", EventType.TRANSFORM_FAILED, runId);
        assertThat(failed.message()).contains("failed: Database Error in model stg_orders");
        assertThat(failed.failures()).hasSize(4);
    }

    @Test
    void aCloudRunIsCancelledThroughTheApi() {
        String runId = run("cloud_cancel", 3);
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                reader()
                                        .get("/api/runs/" + runId)
                                        .jsonPath()
                                        .getList("logTail", String.class)
                                        .stream()
                                        .anyMatch(l -> l.contains("Running")));
        writer().delete("/api/runs/" + runId).then().statusCode(202);
        TransformEvent failed = event("cloud_cancel", EventType.TRANSFORM_FAILED, runId);
        assertThat(failed.message()).isEqualTo("cancelled by writer");
        assertThat(stubCalls(false)).contains(cancelCall(cloudRun(runId)));
    }

    @Test
    void unavailableThenRateLimitedThenAcceptedRunsTheJobAfterRetryAfter() {
        String runId = run("cloud_flaky", 4);
        TransformEvent ok = event("cloud_flaky", EventType.TRANSFORM_SUCCEEDED, runId);
        assertThat(ok.summary()).isEqualTo(new TransformEvent.Summary(5, 0, 0, 16, 0, 0));
        List<Long> triggers =
                stubCalls(true).stream()
                        .filter(c -> c.endsWith(" POST /api/v2/accounts/12/jobs/4/run/"))
                        .map(c -> Long.parseLong(c.substring(0, c.indexOf(' '))))
                        .toList();
        // 503, then 429 with Retry-After: 2, then accepted: one dbt Cloud run.
        assertThat(triggers).hasSize(3);
        assertThat(triggers.get(2) - triggers.get(1))
                .as("waited for Retry-After")
                .isGreaterThanOrEqualTo(2000);
    }

    @Test
    void aCallThatNeverAnswersIsGivenUpOnAfterTheReadTimeoutAndTriedAgain() {
        String runId = run("cloud_hanging", 5);
        try {
            TransformEvent ok = event("cloud_hanging", EventType.TRANSFORM_SUCCEEDED, runId);
            assertThat(ok.summary()).isEqualTo(new TransformEvent.Summary(5, 0, 0, 16, 0, 0));
            // The first poll is still held by the stub: the run went on without its answer.
            assertThat(RestAssured.get(stub() + "/stub/hanging").asString()).isEqualTo("1");
            // The held poll, then the same poll again, answered.
            String poll = "GET /api/v2/accounts/12/runs/" + cloudRun(runId) + "/";
            assertThat(stubCalls(false).stream().filter(poll::equals).count())
                    .isGreaterThanOrEqualTo(2);
        } finally {
            RestAssured.post(stub() + "/stub/release");
        }
    }

    @Test
    void aCloudRunPastItsTimeoutIsCancelledInDbtCloud() {
        String runId = run("cloud_timeout", 3, "PT3S");
        TransformEvent failed = event("cloud_timeout", EventType.TRANSFORM_FAILED, runId);
        assertThat(failed.message())
                .matches("timed out after PT3S: dbt Cloud run \\d+ was cancelled");
        assertThat(stubCalls(false)).contains(cancelCall(cloudRun(runId)));
    }

    private TransformEvent event(String transform, EventType type, String runId) {
        return eventOfRun(infra.kafkaBootstrapServers(), transform, type, runId);
    }

    /** The dbt Cloud run of a run, from its log tail. */
    private static long cloudRun(String runId) {
        for (String line :
                reader().get("/api/runs/" + runId).jsonPath().getList("logTail", String.class)) {
            Matcher m = CLOUD_RUN.matcher(line);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no dbt Cloud run in the log of " + runId);
    }

    private static String cancelCall(long cloudRun) {
        return "POST /api/v2/accounts/12/runs/" + cloudRun + "/cancel/";
    }

    private static List<String> stubCalls(boolean timed) {
        return RestAssured.get(stub() + "/stub/calls" + (timed ? "?timed" : ""))
                .jsonPath()
                .getList("", String.class);
    }

    private static String stub() {
        return ConfigProvider.getConfig()
                .getValue("tributary.transform.cloud.base-url", String.class);
    }
}
