package io.tributary.monitor;

import static io.tributary.monitor.Monitor.endings;
import static io.tributary.monitor.Monitor.starts;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.EventIds;
import io.tributary.events.EventType;
import io.tributary.events.FailureReason;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncStarted;
import io.tributary.events.SyncStatus;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.monitor.job.OutboxCarryOver;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the previous version's outbox had decided but not published (listed by V5 in {@code
 * legacy_unpublished}) is published after the upgrade with the ids and data it would have had: a
 * group of unannounced requests before its job's ending, a refusal.
 */
@QuarkusTest
class OutboxCarryOverTest {

    @InjectInfrastructure Infrastructure infra;
    @Inject DataSource dataSource;
    @Inject OutboxCarryOver carryOver;
    Monitor monitor;

    @BeforeEach
    void open() {
        monitor = new Monitor(infra.kafkaBootstrapServers(), false);
    }

    @AfterEach
    void close() {
        monitor.close();
    }

    @Test
    void whatThePreviousOutboxHadNotPublishedIsPublishedWithTheSameIds() throws Exception {
        UUID conn = UUID.randomUUID();
        long job = 900_000_000L + ThreadLocalRandom.current().nextInt(1_000_000);
        Instant created = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        Instant finished = created.plusSeconds(40);
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        UUID refusedConn = UUID.randomUUID();
        String refused = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection()) {
            // An ending stored by the old version (V5 turned its phase 'ending' into 'ended').
            sql(
                    c,
                    """
                    insert into airbyte_job (job_id, connection_id, job_type, attached,
                        airbyte_status, created_at, tracked_at, correlation_id, deadline_at,
                        next_check_at, phase, ending_status, finished_at, rows_synced,
                        bytes_synced, detected_at, detected_by)
                    values (?, ?, 'sync', false, 'succeeded', ?, ?, 'corr-old', ?, ?, 'ended',
                        'succeeded', ?, 12, 34, ?, 'poll')
                    """,
                    job,
                    conn.toString(),
                    ts(created),
                    ts(created),
                    ts(created.plus(Duration.ofHours(12))),
                    ts(created),
                    ts(finished),
                    ts(finished));
            // Two requests it served, whose sync.started was not acknowledged yet.
            request(c, first, conn, created.minusSeconds(2), "assigned", job, null);
            request(c, second, conn, created.minusSeconds(1), "assigned", job, null);
            // A refusal not published yet.
            request(c, refused, refusedConn, created, "refused", null, "connection_not_found");
            legacy(c, "started", job, first);
            legacy(c, "started", job, second);
            legacy(c, "ended", job, null);
            legacy(c, "refused", null, refused);
        }

        assertThat(carryOver.carryOver()).isEqualTo(3);
        assertThat(carryOver.carryOver()).isZero();

        List<ReceivedEvent> events = monitor.events(conn, 2);
        assertThat(events.get(0).id())
                .isEqualTo(
                        EventIds.derive("sync.started", String.valueOf(job), first + "," + second));
        SyncStarted started = starts(events).get(0);
        assertThat(started.requestIds()).containsExactly(first, second);
        assertThat(started.startedAt()).isEqualTo(created);
        assertThat(started.correlationId()).isEqualTo("corr-" + first);
        assertThat(events.get(1).id())
                .isEqualTo(EventIds.derive("sync.ended", String.valueOf(job)));
        SyncFinished ended = endings(events).get(0);
        assertThat(ended.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(ended.requestIds()).containsExactly(first, second);
        assertThat(ended.rowsSynced()).isEqualTo(12);
        assertThat(ended.duration()).isEqualTo(Duration.ofSeconds(40));
        assertThat(ended.correlationId()).isEqualTo("corr-old");

        List<ReceivedEvent> refusal = monitor.events(refusedConn, 1);
        assertThat(refusal.get(0).id()).isEqualTo(EventIds.derive("sync.refused", refused));
        assertThat(refusal.get(0).is(EventType.SYNC_FAILED)).isTrue();
        SyncFinished failed = endings(refusal).get(0);
        assertThat(failed.jobId()).isNull();
        assertThat(failed.requestIds()).containsExactly(refused);
        assertThat(failed.reason()).isEqualTo(FailureReason.CONNECTION_NOT_FOUND);

        assertThat(monitor.drain(conn, Duration.ofSeconds(2))).hasSize(2);
        try (Connection c = dataSource.getConnection();
                ResultSet rs =
                        c.createStatement()
                                .executeQuery("select count(*) from legacy_unpublished")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    private static void request(
            Connection c,
            String id,
            UUID conn,
            Instant requestedAt,
            String status,
            Long job,
            String refusal)
            throws Exception {
        sql(
                c,
                """
                insert into sync_request (request_id, event_id, connection_id, job_type,
                    requested_at, trigger_kind, correlation_id, status, received_at, job_id,
                    attached, assigned_at, refusal_reason, refusal_message)
                values (?, ?, ?, 'sync', ?, 'manual', ?, ?, now(), ?, false, now(), ?, ?)
                """,
                id,
                id,
                conn.toString(),
                ts(requestedAt),
                "corr-" + id,
                status,
                job,
                refusal,
                refusal == null ? null : "Airbyte has no connection " + conn);
    }

    private static void legacy(Connection c, String kind, Long job, String request)
            throws Exception {
        sql(
                c,
                "insert into legacy_unpublished (kind, job_id, request_id) values (?, ?, ?)",
                kind,
                job,
                request);
    }

    private static void sql(Connection c, String sql, Object... values) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            s.executeUpdate();
        }
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }
}
