package io.tributary.monitor;

import static io.restassured.RestAssured.given;
import static io.tributary.monitor.Monitor.api;
import static io.tributary.monitor.Monitor.endings;
import static io.tributary.monitor.Monitor.sandbox;
import static io.tributary.monitor.Monitor.starts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tributary.events.EventType;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncStarted;
import io.tributary.events.SyncStatus;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TributaryTestResource;
import io.tributary.sandbox.ConnectionScript;
import io.tributary.sandbox.JobStatus;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /api/jobs/{jobId}/cancel}: an operator cancels a running job. */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "sync-monitor-service"),
        scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AirbyteSandboxResource.class, scope = TestResourceScope.GLOBAL)
class JobCancelApiTest {

    @InjectInfrastructure Infrastructure infra;
    Monitor monitor;

    @BeforeEach
    void open() {
        monitor = new Monitor(infra.kafkaBootstrapServers());
    }

    @AfterEach
    void close() {
        monitor.close();
    }

    @Test
    void aRunningJobCancelledThroughTheApiEndsCancelledOnce() {
        UUID conn = sandbox().addConnection("cancel-me → postgres", ConnectionScript.hangForever());
        monitor.request(conn);
        SyncStarted started = starts(monitor.events(conn, 1)).get(0);
        long jobId = started.jobId();

        cancel(jobId)
                .then()
                .statusCode(202)
                .body("jobId", equalTo((int) jobId))
                .body("cancelRequestedBy", equalTo("tests"))
                .body("cancelRequestedAt", notNullValue());
        // Clicking twice is harmless: still pending (202) or already ended (409), never a second
        // DELETE.
        cancel(jobId).then().statusCode(anyOf(equalTo(202), equalTo(409)));

        List<ReceivedEvent> events = monitor.events(conn, 2);
        assertThat(events.get(1).type()).isEqualTo(EventType.SYNC_CANCELLED.type());
        SyncFinished ended = endings(events).get(0);
        assertThat(ended.status()).isEqualTo(SyncStatus.CANCELLED);
        assertThat(ended.reason()).isNull();
        assertThat(ended.jobId()).isEqualTo(jobId);
        assertThat(ended.correlationId()).isEqualTo(started.correlationId());
        assertThat(sandbox().job(jobId).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(sandbox().calls("DELETE /jobs/{jobId}", 200)).isPositive();

        // Ended: a third click is a conflict, and nothing else is published.
        cancel(jobId)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409));
        assertThat(monitor.drain(conn, Duration.ofSeconds(2))).hasSize(2);
        api().get("/api/jobs/" + jobId)
                .then()
                .statusCode(200)
                .body("status", equalTo("cancelled"))
                .body("cancelRequestedBy", equalTo("tests"));
    }

    @Test
    void aJobThatEndedIsNeverCancelledAndTheConnectionsNextJobKeepsRunning() {
        UUID conn =
                sandbox()
                        .addConnection(
                                "ended-then-busy → postgres", ConnectionScript.hangForever());
        // No webhook hint: the monitor learns of the end only by looking (the next test's
        // Monitor points the webhook at the app again).
        sandbox().setWebhookUrl(null);
        monitor.request(conn);
        // Found through the API, not the (slower) sync.started on Kafka, so that the steps below
        // happen before the monitor's next look (2 s) almost always.
        await().atMost(Monitor.WAIT)
                .until(
                        () ->
                                api().get("/api/jobs?connectionId=" + conn)
                                                .then()
                                                .statusCode(200)
                                                .extract()
                                                .jsonPath()
                                                .getList("jobId")
                                                .size()
                                        == 1);
        long tracked =
                api().get("/api/jobs?connectionId=" + conn)
                        .then()
                        .extract()
                        .jsonPath()
                        .getLong("[0].jobId");
        // The job ends and someone starts another on the connection before the monitor looks:
        // DELETE /jobs/{tracked} would cancel that other job (Airbyte cancels the current one).
        sandbox().finishJob(tracked, JobStatus.SUCCEEDED);
        long other = sandbox().startJobOutside(conn);
        long deletes = sandbox().calls("DELETE /jobs/{jobId}");

        cancel(tracked).then().statusCode(409).contentType("application/problem+json");
        assertThat(sandbox().calls("DELETE /jobs/{jobId}")).isEqualTo(deletes);

        SyncFinished ended = endings(monitor.events(conn, 2)).get(0);
        assertThat(ended.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(sandbox().job(other).status()).isEqualTo(JobStatus.RUNNING);
        sandbox().finishJob(other, JobStatus.CANCELLED);
    }

    @Test
    void unknownJobsAre404AndAReadTokenMayNotCancel() {
        cancel(987654321L)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
        api().post("/api/jobs/not-a-number/cancel").then().statusCode(400);

        UUID conn = sandbox().addConnection("read-only → postgres", ConnectionScript.hangForever());
        monitor.request(conn);
        long jobId = starts(monitor.events(conn, 1)).get(0).jobId();
        given().header("Authorization", "Bearer " + Monitor.READ_TOKEN)
                .post("/api/jobs/" + jobId + "/cancel")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().post("/api/jobs/" + jobId + "/cancel").then().statusCode(401);
        assertThat(sandbox().job(jobId).status()).isEqualTo(JobStatus.RUNNING);
        api().get("/api/jobs/" + jobId)
                .then()
                .statusCode(200)
                .body("cancelRequestedAt", nullValue());

        // Clean up through the API (a write token may).
        cancel(jobId).then().statusCode(202);
        assertThat(endings(monitor.events(conn, 2)).get(0).status())
                .isEqualTo(SyncStatus.CANCELLED);
    }

    private static Response cancel(long jobId) {
        return api().post("/api/jobs/" + jobId + "/cancel");
    }
}
