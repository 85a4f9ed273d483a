package io.tributary.transform;

import static io.tributary.transform.support.TestSupport.DBT_WAIT;
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
import io.tributary.events.EventType;
import io.tributary.events.TransformEvent;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.transform.run.RunWorker;
import io.tributary.transform.support.TestSupport;
import io.tributary.transform.support.TransformTestResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Timeout kill, cancel, and a restart in the middle of a run. */
@QuarkusTest
@WithTestResource(
        value = TransformTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "transform-service"),
        scope = TestResourceScope.GLOBAL)
class SafetyTest {

    @InjectInfrastructure Infrastructure infra;
    @Inject DataSource dataSource;
    @Inject RunWorker worker;

    static Map<String, Object> slow(String timeout) {
        return Map.of(
                "projectDir", "demo",
                "profilesDir", "demo",
                "command", "run",
                "select", "stg_customers demo_pause",
                "vars", Map.of("pause_seconds", 300),
                "timeout", timeout);
    }

    @Test
    void aRunPastItsTimeoutIsKilledAndFails() throws Exception {
        TestSupport.ensureShopLoaded();
        writer().body(slow("PT10S")).put("/api/transforms/slow_timeout").then().statusCode(201);
        String runId =
                writer().post("/api/transforms/slow_timeout/runs")
                        .then()
                        .statusCode(202)
                        .extract()
                        .path("runId");
        TransformEvent failed =
                eventOfRun(
                        infra.kafkaBootstrapServers(),
                        "slow_timeout",
                        EventType.TRANSFORM_FAILED,
                        runId);
        assertThat(failed.message()).startsWith("timed out after PT10S");
        assertThat(failed.elapsed()).isLessThan(Duration.ofSeconds(60));
        assertProcessGone(runId);
        assertNoPause();
    }

    @Test
    void aRunningRunIsCancelled() throws Exception {
        TestSupport.ensureShopLoaded();
        writer().body(slow("PT10M")).put("/api/transforms/slow_cancel").then().statusCode(201);
        String runId =
                writer().post("/api/transforms/slow_cancel/runs")
                        .then()
                        .statusCode(202)
                        .extract()
                        .path("runId");
        // Cancel once dbt is in the middle of its work (the pausing model has started).
        await().atMost(DBT_WAIT)
                .until(
                        () ->
                                reader()
                                        .get("/api/runs/" + runId)
                                        .jsonPath()
                                        .getList("logTail", String.class)
                                        .stream()
                                        .anyMatch(
                                                l ->
                                                        l.contains(
                                                                "START sql table model ops.demo_pause")));
        // dbt logs START before it sends the query: a cancel in between finds no query to cancel
        // and leaves pg_sleep(300) behind in the warehouse. Cancel once the query runs there.
        awaitPauseRunning();
        reader().delete("/api/runs/" + runId).then().statusCode(403);
        writer().delete("/api/runs/" + runId)
                .then()
                .statusCode(202)
                .body("status", equalTo("running"));
        TransformEvent failed =
                eventOfRun(
                        infra.kafkaBootstrapServers(),
                        "slow_cancel",
                        EventType.TRANSFORM_FAILED,
                        runId);
        assertThat(failed.message()).isEqualTo("cancelled by writer");
        reader().get("/api/runs/" + runId).then().body("status", equalTo("cancelled"));
        assertProcessGone(runId);
        assertNoPause();
        writer().delete("/api/runs/" + runId).then().statusCode(409);
    }

    @Test
    void aRunInterruptedByARestartIsFailedAndQueuedAgainOnce() throws Exception {
        TestSupport.ensureShopLoaded();
        writer().body(
                        Map.of(
                                "projectDir", "demo",
                                "profilesDir", "demo",
                                "command", "run",
                                "select", "stg_customers"))
                .put("/api/transforms/restarted")
                .then()
                .statusCode(201);
        // What a crash leaves behind: a run 'running' under an earlier boot of this instance ...
        UUID interrupted = insertRunning("restarted", "test-instance/previous-boot", 1, "now()");
        // ... and one of another instance that stopped sending heartbeats, already a retry.
        UUID staleRetry =
                insertRunning("restarted", "other-host/abc", 2, "now() - interval '10 minutes'");

        worker.recoverAtStartup(); // what the service does when it starts

        reader().get("/api/runs/" + interrupted)
                .then()
                .body("status", equalTo("failed"))
                .body("message", equalTo("interrupted by restart"));
        TransformEvent failed =
                eventOfRun(
                        infra.kafkaBootstrapServers(),
                        "restarted",
                        EventType.TRANSFORM_FAILED,
                        interrupted.toString());
        assertThat(failed.message()).isEqualTo("interrupted by restart");

        // Queued again once, with the same trigger, and it really runs dbt.
        await().atMost(DBT_WAIT)
                .until(
                        () ->
                                runs("restarted").stream()
                                        .anyMatch(
                                                r ->
                                                        interrupted
                                                                        .toString()
                                                                        .equals(
                                                                                r.get(
                                                                                        "requeuedFrom"))
                                                                && "succeeded"
                                                                        .equals(r.get("status"))));
        Map<String, Object> retry =
                runs("restarted").stream()
                        .filter(r -> interrupted.toString().equals(r.get("requeuedFrom")))
                        .findFirst()
                        .orElseThrow();
        assertThat(retry.get("attempt")).isEqualTo(2);
        assertThat(((Map<?, ?>) retry.get("trigger")).get("syncJobIds")).isEqualTo(List.of(99));

        // The stale one is found by the periodic sweep; being a retry already, it is not queued
        // again.
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                "failed"
                                        .equals(
                                                reader().get("/api/runs/" + staleRetry)
                                                        .jsonPath()
                                                        .get("status")));
        assertThat(reader().get("/api/runs/" + staleRetry).jsonPath().getString("message"))
                .startsWith("interrupted by restart");
        // A retry that was interrupted again is not queued once more.
        await().during(java.time.Duration.ofSeconds(2))
                .atMost(java.time.Duration.ofSeconds(4))
                .until(
                        () ->
                                runs("restarted").stream()
                                        .noneMatch(
                                                r ->
                                                        staleRetry
                                                                .toString()
                                                                .equals(r.get("requeuedFrom"))));
        assertThat(runs("restarted")).hasSize(3);
    }

    private UUID insertRunning(String transform, String owner, int attempt, String heartbeat)
            throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "insert into transform_run (run_id, transform_name, project_key,"
                                        + " status, trigger_kind, sync_job_ids, connection_ids,"
                                        + " attempt, not_before, started_at, heartbeat_at, owner,"
                                        + " command, runner)"
                                        + " values (?, ?, ?, 'running', 'sync', '{99}', '{c0000000-0000-4000-8000-00000000c0de}', ?,"
                                        + " now(), now(), "
                                        + heartbeat
                                        + ", ?, 'run', 'cli')")) {
            ps.setObject(1, id);
            ps.setString(2, transform);
            ps.setString(3, "crashed:" + id); // its own key: it does not block the project
            ps.setInt(4, attempt);
            ps.setString(5, owner);
            ps.executeUpdate();
        }
        return id;
    }

    private void assertProcessGone(String runId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select pid from transform_run where run_id = ?")) {
            ps.setObject(1, UUID.fromString(runId));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                long pid = rs.getLong(1);
                assertThat(pid).isPositive();
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
            }
        }
    }

    /** The pausing model's query is running in the warehouse. */
    private void awaitPauseRunning() {
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                TestSupport.count(
                                                "select count(*) from pg_stat_activity where query like"
                                                        + " '%pg_sleep(300)%' and state = 'active'"
                                                        + " and pid <> pg_backend_pid()")
                                        > 0);
    }

    /** dbt's SIGINT handling cancelled its query: no pg_sleep left in the warehouse. */
    private void assertNoPause() {
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                TestSupport.count(
                                                "select count(*) from pg_stat_activity where query like"
                                                        + " '%pg_sleep(300)%' and pid <> pg_backend_pid()")
                                        == 0);
    }

    static List<Map<String, Object>> runs(String transform) {
        return TriggerCoalescingTest.runs(transform);
    }
}
