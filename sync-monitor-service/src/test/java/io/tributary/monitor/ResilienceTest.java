package io.tributary.monitor;

import static io.restassured.RestAssured.given;
import static io.tributary.monitor.Monitor.endings;
import static io.tributary.monitor.Monitor.sandbox;
import static io.tributary.monitor.Monitor.starts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.EventIds;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncRequested;
import io.tributary.events.SyncStatus;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TributaryTestResource;
import io.tributary.monitor.job.JobRepository;
import io.tributary.monitor.job.SyncRequestRepository;
import io.tributary.monitor.messaging.SyncEventPublisher;
import io.tributary.sandbox.ConnectionScript;
import io.tributary.sandbox.Fault;
import io.tributary.sandbox.JobStatus;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Expiring tokens, an Airbyte outage, and what a crashed instance leaves behind. */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "sync-monitor-service"),
        scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AirbyteSandboxResource.class, scope = TestResourceScope.GLOBAL)
class ResilienceTest {

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

    @Inject DataSource dataSource;
    @Inject JobRepository jobs;
    @Inject SyncRequestRepository requests;
    @Inject SyncEventPublisher publisher;

    @Test
    void tokensDyingEveryFewSecondsDuringALongJobCauseNoFailure() {
        // The sandbox's tokens die after 3 s while expires_in claims 900 s
        // (AirbyteSandboxResource).
        long fetched = sandbox().calls("POST /applications/token", 200);
        UUID conn =
                sandbox()
                        .addConnection(
                                "long → postgres",
                                ConnectionScript.succeedAfter(Duration.ofSeconds(80), 321));
        monitor.request(conn);
        starts(monitor.events(conn, 1));
        sandbox().revokeAllTokens(); // and once more mid-job, without warning

        SyncFinished ended = endings(monitor.events(conn, 2)).get(0);
        assertThat(ended.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(ended.rowsSynced()).isEqualTo(321);
        assertThat(sandbox().calls("POST /applications/token", 200) - fetched)
                .as("tokens refreshed during the job")
                .isGreaterThanOrEqualTo(2);
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(
                        org.hamcrest.Matchers.containsString(
                                "tributary_monitor_airbyte_token_refreshes_total"));
    }

    @Test
    void anAirbyteOutageDelaysRequestsButLosesNoneAndDuplicatesNothing() {
        // 60 s in the issue; shorter by default to keep the suite fast (same code path; run with
        // -Dtributary.test.outage=PT60S for the full window).
        Duration outage = Duration.parse(System.getProperty("tributary.test.outage", "PT12S"));
        UUID inFlight =
                sandbox()
                        .addConnection(
                                "in flight → postgres",
                                ConnectionScript.succeedAfter(Duration.ofSeconds(50), 11));
        monitor.request(inFlight);
        starts(monitor.events(inFlight, 1));

        sandbox().faults().during(outage, Fault.status(503)).next(6, Fault.status(429));
        UUID a =
                sandbox()
                        .addConnection(
                                "a → postgres",
                                ConnectionScript.succeedAfter(Duration.ofSeconds(10), 1));
        UUID b =
                sandbox()
                        .addConnection(
                                "b → postgres",
                                ConnectionScript.succeedAfter(Duration.ofSeconds(10), 2));
        SyncRequested ra = monitor.request(a);
        SyncRequested rb = monitor.request(b);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                given().get("/q/health/ready")
                                        .then()
                                        .statusCode(503)
                                        .body(
                                                "checks.find { it.name == 'Airbyte API' }.status",
                                                org.hamcrest.Matchers.equalTo("DOWN")));
        given().get("/q/health/live").then().statusCode(200);

        Duration wait = outage.plus(Monitor.WAIT);
        SyncFinished endedA = endings(monitor.events(a, 2, wait)).get(0);
        SyncFinished endedB = endings(monitor.events(b, 2, wait)).get(0);
        SyncFinished endedInFlight = endings(monitor.events(inFlight, 2, wait)).get(0);
        assertThat(endedA.requestIds()).containsExactly(ra.requestId());
        assertThat(endedB.requestIds()).containsExactly(rb.requestId());
        assertThat(List.of(endedA, endedB, endedInFlight))
                .allMatch(e -> e.status() == SyncStatus.SUCCEEDED);
        assertThat(sandbox().jobs(a)).hasSize(1);
        assertThat(sandbox().jobs(b)).hasSize(1);
        assertThat(sandbox().jobs(inFlight)).hasSize(1);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    /**
     * The coordinator keeps nothing in memory: everything it knows is in its database. So what a
     * restarted instance sees is exactly what a crashed one left there; this test leaves it there
     * (a job started and announced, still running; an ending stored with its event in the outbox,
     * never published) and checks that the running instance finishes both, each with exactly one
     * ending.
     */
    @Test
    void whatACrashedInstanceLeftBehindEndsExactlyOnce() throws Exception {
        UUID running =
                sandbox()
                        .addConnection(
                                "crash 1 → postgres",
                                ConnectionScript.succeedAfter(Duration.ofSeconds(30), 5));
        long job = sandbox().startJobOutside(running); // as the crashed instance's POST did
        String request = crashedInstanceState(running, job, null);

        UUID stored =
                sandbox()
                        .addConnection(
                                "crash 2 → postgres",
                                ConnectionScript.succeedAfter(Duration.ofSeconds(10), 9));
        long done = sandbox().startJobOutside(stored);
        sandbox().finishJob(done, JobStatus.SUCCEEDED);
        String request2 = crashedInstanceState(stored, done, "succeeded");

        List<ReceivedEvent> first = monitor.events(running, 1);
        SyncFinished ended = endings(first).get(0);
        assertThat(ended.jobId()).isEqualTo(job);
        assertThat(ended.requestIds()).containsExactly(request);
        assertThat(first.get(0).id()).isEqualTo(EventIds.derive("sync.ended", String.valueOf(job)));
        SyncFinished ended2 = endings(monitor.events(stored, 1)).get(0);
        assertThat(ended2.requestIds()).containsExactly(request2);
        // Exactly one ending each, and no new job.
        assertThat(monitor.drain(running, Duration.ofSeconds(3))).hasSize(1);
        assertThat(monitor.drain(stored, Duration.ofSeconds(1))).hasSize(1);
        assertThat(sandbox().jobs(running)).hasSize(1);
        assertThat(sandbox().jobs(stored)).hasSize(1);
    }

    private String crashedInstanceState(UUID conn, long jobId, String ending) throws Exception {
        String requestId = UUID.randomUUID().toString();
        Instant created = sandbox().job(jobId).createdAt();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s =
                    c.prepareStatement(
                            """
                            insert into airbyte_job (job_id, connection_id, job_type, attached,
                                airbyte_status, created_at, tracked_at, correlation_id, deadline_at,
                                next_check_at, phase, ending_status, finished_at, rows_synced,
                                bytes_synced, detected_at, detected_by)
                            values (?, ?, 'sync', false, ?, ?, ?, 'corr', ?, ?, ?, ?, ?, ?, 0, ?, ?)
                            """)) {
                Instant now = Instant.now();
                s.setLong(1, jobId);
                s.setString(2, conn.toString());
                s.setString(3, ending == null ? "running" : ending);
                s.setTimestamp(4, Timestamp.from(created));
                s.setTimestamp(5, Timestamp.from(now));
                s.setTimestamp(6, Timestamp.from(created.plus(Duration.ofHours(12))));
                s.setTimestamp(7, Timestamp.from(now.plus(Duration.ofDays(1))));
                s.setString(8, ending == null ? "active" : "ended");
                s.setString(9, ending);
                s.setTimestamp(10, ending == null ? null : Timestamp.from(now));
                s.setObject(11, ending == null ? null : 9L);
                s.setTimestamp(12, ending == null ? null : Timestamp.from(now));
                s.setString(13, ending == null ? null : "poll");
                s.executeUpdate();
            }
            try (PreparedStatement s =
                    c.prepareStatement(
                            """
                            insert into sync_request (request_id, event_id, connection_id, job_type,
                                requested_at, trigger_kind, correlation_id, status, received_at,
                                job_id, attached, assigned_at)
                            values (?, ?, ?, 'sync', ?, 'manual', 'corr', 'assigned', now(), ?, false,
                                now())
                            """)) {
                s.setString(1, requestId);
                s.setString(2, requestId);
                s.setString(3, conn.toString());
                s.setTimestamp(4, Timestamp.from(created.minusSeconds(1)));
                s.setLong(5, jobId);
                s.executeUpdate();
            }
        }
        if (ending != null) {
            // The ending's transaction stored its event in the outbox; the relay never sent it.
            QuarkusTransaction.requiringNew()
                    .run(
                            () ->
                                    publisher.ended(
                                            jobs.findById(jobId), requests.servedBy(jobId), null));
        }
        return requestId;
    }
}
