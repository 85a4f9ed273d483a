package io.tributary.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobsApiTest extends SandboxTestBase {

    @Test
    void syncRunsPendingRunningSucceededWithTheFieldsAirbyteSets() {
        UUID conn =
                sandbox.addConnection(
                        "stripe → postgres",
                        ConnectionScript.succeedAfter(Duration.ofMillis(1200), 1234)
                                .withBytes(5678));

        ApiClient.Reply created = api.createJob(conn, "sync");
        assertThat(created.status()).isEqualTo(200);
        JsonNode job = created.json();
        long jobId = job.get("jobId").asLong();
        assertThat(job.get("status").asText()).isEqualTo("pending");
        assertThat(job.get("jobType").asText()).isEqualTo("sync");
        assertThat(job.get("connectionId").asText()).isEqualTo(conn.toString());
        assertThat(job.has("duration")).as("no duration while pending").isFalse();
        assertThat(job.has("lastUpdatedAt")).isFalse();
        assertThat(job.has("rowsSynced")).isFalse();

        JsonNode running = awaitStatus(jobId, "running");
        assertThat(running.get("rowsSynced").asLong()).isZero();
        assertThat(running.has("duration")).isTrue();
        assertThat(running.has("lastUpdatedAt")).as("only final jobs have it").isFalse();

        JsonNode done = awaitStatus(jobId, "succeeded");
        assertThat(done.get("rowsSynced").asLong()).isEqualTo(1234);
        assertThat(done.get("bytesSynced").asLong()).isEqualTo(5678);
        OffsetDateTime start = OffsetDateTime.parse(done.get("startTime").asText());
        OffsetDateTime end = OffsetDateTime.parse(done.get("lastUpdatedAt").asText());
        assertThat(Duration.parse(done.get("duration").asText()))
                .isEqualTo(Duration.between(start, end));
        assertThat(end).isAfterOrEqualTo(start);
        assertThat(sandbox.job(jobId).attempts()).isEqualTo(1);
    }

    @Test
    void failingScriptEndsFailedWithItsMessage() {
        UUID conn =
                sandbox.addConnection(
                        "x", ConnectionScript.failAfter(Duration.ofMillis(200), "source exploded"));
        long jobId = api.createJob(conn, "sync").json().get("jobId").asLong();
        awaitStatus(jobId, "failed");
        assertThat(sandbox.job(jobId).errorMessage()).isEqualTo("source exploded");
    }

    @Test
    void incompleteAttemptsRetryThenSucceed() {
        UUID conn =
                sandbox.addConnection(
                        "x", ConnectionScript.incompleteThenSucceed(2, Duration.ofMillis(300), 10));
        long jobId = api.createJob(conn, "sync").json().get("jobId").asLong();
        awaitStatus(jobId, "incomplete");
        awaitStatus(jobId, "running");
        awaitStatus(jobId, "succeeded");
        assertThat(sandbox.job(jobId).attempts()).isEqualTo(3);
        assertThat(sandbox.job(jobId).rowsSynced()).isEqualTo(10);
    }

    @Test
    void queuedStateShowsWhenScripted() {
        UUID conn =
                sandbox.addConnection(
                        "x",
                        ConnectionScript.succeedAfter(Duration.ofMillis(100), 1)
                                .withQueuedFor(Duration.ofMillis(500)));
        long jobId = api.createJob(conn, "sync").json().get("jobId").asLong();
        awaitStatus(jobId, "queued");
        awaitStatus(jobId, "succeeded");
    }

    @Test
    void secondSyncWhileOneRunsGetsTheExactTryAgainLaterBody() {
        UUID conn = sandbox.addConnection("x", ConnectionScript.hangForever());
        assertThat(api.createJob(conn, "sync").status()).isEqualTo(200);

        ApiClient.Reply conflict = api.createJob(conn, "sync");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.contentType()).isEqualTo("application/json");
        assertThat(conflict.body())
                .isEqualTo(
                        "{\"status\":409,\"type\":\"https://reference.airbyte.com/reference/errors#try-again-later\","
                                + "\"title\":\"try-again-later\",\"detail\":\"Please try again later.\","
                                + "\"data\":{\"message\":\"A sync is already running for: "
                                + conn
                                + "\"}}");
        assertThat(sandbox.calls("POST /jobs", 409)).isEqualTo(1);
    }

    @Test
    void syncStartedOutsideTheApiAlsoBlocksANewSync() {
        UUID conn = sandbox.addConnection("x", ConnectionScript.hangForever());
        long outside = sandbox.startJobOutside(conn);
        assertThat(api.createJob(conn, "sync").status()).isEqualTo(409);
        JsonNode running =
                api.get(
                                "/jobs",
                                java.util.Map.of(
                                        "connectionId",
                                        conn.toString(),
                                        "orderBy",
                                        "createdAt|DESC"))
                        .json();
        assertThat(running.get("data").get(0).get("jobId").asLong()).isEqualTo(outside);
    }

    @Test
    void resetCancelsTheRunningSyncAndClearToo() {
        UUID conn =
                sandbox.addConnection(
                        "x",
                        ConnectionScript.hangForever().withResetDuration(Duration.ofMillis(200)));
        long sync = api.createJob(conn, "sync").json().get("jobId").asLong();
        awaitStatus(sync, "running");

        long reset = api.createJob(conn, "reset").json().get("jobId").asLong();
        assertThat(api.get("/jobs/" + sync).json().get("status").asText()).isEqualTo("cancelled");
        JsonNode resetDone = awaitStatus(reset, "succeeded");
        assertThat(resetDone.get("jobType").asText()).isEqualTo("reset");

        long sync2 = api.createJob(conn, "sync").json().get("jobId").asLong();
        long clear = api.createJob(conn, "clear").json().get("jobId").asLong();
        assertThat(sandbox.job(sync2).status()).isEqualTo(JobStatus.CANCELLED);
        awaitStatus(clear, "succeeded");
        assertThat(clear).isGreaterThan(sync2).isGreaterThan(reset).isGreaterThan(sync);
    }

    @Test
    void refreshIsUnprocessable() {
        UUID conn = sandbox.addConnection("x", ConnectionScript.hangForever());
        ApiClient.Reply r = api.createJob(conn, "refresh");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("title").asText()).isEqualTo("unprocessable-entity");
        assertThat(r.json().get("type").asText())
                .isEqualTo("https://reference.airbyte.com/reference/errors#unprocessable-entity");
        assertThat(r.json().at("/data/message").asText())
                .isEqualTo("Refreshes are not supported in the public API");
        assertThat(sandbox.jobs(conn)).isEmpty();
    }

    @Test
    void inactiveConnectionIsAStateConflict() {
        UUID conn = sandbox.connection("x").inactive().add();
        ApiClient.Reply r = api.createJob(conn, "sync");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("title").asText()).isEqualTo("state-conflict");
        assertThat(r.json().at("/data/message").asText()).isEqualTo("Could not fulfill request");
        sandbox.setActive(conn, true);
        assertThat(api.createJob(conn, "sync").status()).isEqualTo(200);
    }

    @Test
    void unknownConnectionOrJobIsNotFound() {
        UUID missing = UUID.randomUUID();
        ApiClient.Reply r = api.createJob(missing, "sync");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("title").asText()).isEqualTo("resource-not-found");
        assertThat(r.json().at("/data/resourceId").asText()).isEqualTo(missing.toString());
        assertThat(api.get("/jobs/987654").status()).isEqualTo(404);
        assertThat(api.delete("/jobs/987654").status()).isEqualTo(404);
    }

    @Test
    void malformedJobRequestsAreBadRequests() {
        assertThat(api.postInvalid("/jobs", "{\"jobType\":\"sync\"}").status()).isEqualTo(400);
        assertThat(api.postInvalid("/jobs", "not json").status()).isEqualTo(400);
        assertThat(
                        api.postInvalid("/jobs", "{\"connectionId\":\"nope\",\"jobType\":\"sync\"}")
                                .status())
                .isEqualTo(400);
    }

    @Test
    void deleteCancelsTheConnectionsCurrentJobEvenWhenNamingAnOldOne() {
        UUID conn =
                sandbox.addConnection("x", ConnectionScript.succeedAfter(Duration.ofMillis(50), 1));
        long old = api.createJob(conn, "sync").json().get("jobId").asLong();
        awaitStatus(old, "succeeded");
        sandbox.script(conn, ConnectionScript.hangForever());
        long current = api.createJob(conn, "sync").json().get("jobId").asLong();

        ApiClient.Reply r = api.delete("/jobs/" + old);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("jobId").asLong()).isEqualTo(old);
        assertThat(r.json().get("status").asText()).isEqualTo("succeeded");
        JsonNode cancelled = api.get("/jobs/" + current).json();
        assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.has("lastUpdatedAt")).isTrue();
    }

    @Test
    void deleteWhenNothingRunsIsAConflict() {
        UUID conn = sandbox.addConnection("x", ConnectionScript.hangForever());
        long id = api.createJob(conn, "sync").json().get("jobId").asLong();
        ApiClient.Reply first = api.delete("/jobs/" + id);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("status").asText()).isEqualTo("cancelled");

        ApiClient.Reply again = api.delete("/jobs/" + id);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("title").asText()).isEqualTo("state-conflict");
        assertThat(again.json().at("/data/message").asText())
                .isEqualTo("Job is not currently running");
    }

    @Test
    void manualControlsEndJobsAtOnce() {
        UUID conn = sandbox.addConnection("x", ConnectionScript.hangForever());
        long a = sandbox.startJobOutside(conn);
        assertThat(sandbox.completeNow(conn).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(api.get("/jobs/" + a).json().get("status").asText()).isEqualTo("succeeded");

        long b = sandbox.startJobOutside(conn);
        assertThat(sandbox.failJob(b, "boom").errorMessage()).isEqualTo("boom");
        assertThat(sandbox.job(b).status()).isEqualTo(JobStatus.FAILED);
        assertThatThrownBy(() -> sandbox.finishJob(b, JobStatus.SUCCEEDED))
                .isInstanceOf(IllegalStateException.class);

        long c = sandbox.startJobOutside(conn);
        sandbox.finishJob(c, JobStatus.CANCELLED);
        assertThat(sandbox.jobs(conn))
                .extracting(JobSnapshot::status)
                .containsExactly(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED);
        assertThatThrownBy(() -> sandbox.completeNow(conn))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void timeCompressionShortensScriptedDurations() {
        sandbox.setTimeCompression(100);
        UUID conn =
                sandbox.addConnection(
                        "x", ConnectionScript.succeedAfter(Duration.ofSeconds(60), 5));
        long started = System.nanoTime();
        long id = api.createJob(conn, "sync").json().get("jobId").asLong();
        awaitStatus(id, "succeeded");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void bothPrefixesServeTheSameState() {
        UUID conn = sandbox.addConnection("x", ConnectionScript.hangForever());
        long id = api.createJob(conn, "sync").json().get("jobId").asLong();
        ApiClient cloud = new ApiClient(sandbox.cloudBaseUrl()).login(CLIENT_ID, CLIENT_SECRET);
        assertThat(cloud.get("/jobs/" + id).json().get("jobId").asLong()).isEqualTo(id);
    }
}
