package io.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventIds;
import io.tributary.events.EventJson;
import io.tributary.events.TransformEvent;
import io.tributary.events.TransformEvent.NodeFailure;
import io.tributary.events.TransformEvent.Summary;
import io.tributary.events.TransformStatus;
import io.tributary.events.TransformTrigger;
import io.tributary.events.TransformTriggerKind;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.ServiceDatabase;
import io.tributary.transform.support.TransformTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

/**
 * V6 moves to the outbox: the events the runs' old "published" flags still owed Kafka become outbox
 * rows with the ce_id and data the service itself would store, so nothing is lost; the flags go.
 */
@QuarkusTest
@WithTestResource(
        value = TransformTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "transform-service"),
        scope = TestResourceScope.GLOBAL)
class OutboxMigrationTest {
    static final String TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    static final Instant STARTED = Instant.parse("2024-05-01T10:00:00.123456Z");
    static final Instant FINISHED = Instant.parse("2024-05-01T10:02:03.654321Z");

    @InjectInfrastructure Infrastructure infra;

    @Test
    void unpublishedEventsOfRunsAreCarriedOverIntoTheOutbox() throws Exception {
        ServiceDatabase db = infra.database("transform-migration");
        Flyway flyway =
                Flyway.configure()
                        .dataSource(db.jdbcUrl(), db.username(), db.password())
                        .locations("classpath:db/migration")
                        .cleanDisabled(false)
                        .target(MigrationVersion.fromVersion("5"))
                        .load();
        flyway.clean();
        flyway.migrate();

        UUID succeeded = UUID.randomUUID();
        UUID failed = UUID.randomUUID();
        UUID cancelled = UUID.randomUUID();
        UUID running = UUID.randomUUID();
        try (Connection c =
                        DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                Statement st = c.createStatement()) {
            // Nothing of it published yet: started and succeeded.
            st.executeUpdate(
                    insert(succeeded, "shop", "succeeded", 1, false, false)
                            .formatted(
                                    "0",
                                    "'{\"success\":5,\"error\":0,\"skipped\":0,\"pass\":16,"
                                            + "\"fail\":0,\"warn\":0}'",
                                    "'[]'",
                                    "null"));
            // Its start published: only its end.
            st.executeUpdate(
                    insert(failed, "shop", "failed", 2, true, false)
                            .formatted(
                                    "1",
                                    "null",
                                    "'[{\"uniqueId\":\"model.demo.orders\",\"status\":\"error\","
                                            + "\"message\":\"boom\"}]'",
                                    "'1 node(s) failed: model.demo.orders'"));
            st.executeUpdate(
                    insert(cancelled, "other", "cancelled", 3, true, false)
                            .formatted("null", "null", "null", "null"));
            st.executeUpdate(
                    insert(running, "other", "running", 4, false, false)
                            .formatted("null", "null", "null", "null"));
            // Nothing owed: queued, and all acknowledged.
            st.executeUpdate(
                    insert(UUID.randomUUID(), "queued", "queued", 5, false, false)
                            .formatted("null", "null", "null", "null"));
            st.executeUpdate(
                    insert(UUID.randomUUID(), "done", "succeeded", 6, true, true)
                            .formatted("0", "null", "'[]'", "null"));
        }

        Flyway.configure()
                .dataSource(db.jdbcUrl(), db.username(), db.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();

        List<String[]> rows = new ArrayList<>();
        try (Connection c =
                        DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "select ce_id, ce_type, subject, source, data, traceparent"
                                        + " from outbox_event order by seq")) {
            while (rs.next()) {
                rows.add(
                        new String[] {
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6)
                        });
            }
            ResultSet columns =
                    c.getMetaData().getColumns(null, null, "transform_run", "%_published");
            assertThat(columns.next()).as("the published flags are gone").isFalse();
        }

        Summary summary = new Summary(5, 0, 0, 16, 0, 0);
        List<NodeFailure> failures = List.of(new NodeFailure("model.demo.orders", "error", "boom"));
        assertOutbox(
                rows,
                List.of(
                        event(
                                "shop",
                                succeeded,
                                TransformStatus.STARTED,
                                null,
                                null,
                                List.of(),
                                null),
                        event(
                                "shop",
                                succeeded,
                                TransformStatus.SUCCEEDED,
                                0,
                                summary,
                                List.of(),
                                null),
                        event(
                                "shop",
                                failed,
                                TransformStatus.FAILED,
                                1,
                                null,
                                failures,
                                "1 node(s) failed: model.demo.orders"),
                        event(
                                "other",
                                cancelled,
                                TransformStatus.FAILED,
                                null,
                                null,
                                List.of(),
                                "cancelled"),
                        event(
                                "other",
                                running,
                                TransformStatus.STARTED,
                                null,
                                null,
                                List.of(),
                                null)));
    }

    private static void assertOutbox(List<String[]> rows, List<TransformEvent> expected) {
        assertThat(rows).hasSize(expected.size());
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            TransformEvent e = expected.get(i);
            assertThat(row[0])
                    .isEqualTo(EventIds.derive("transform", e.runId(), e.status().wire()));
            assertThat(row[1]).isEqualTo(e.ceType().type());
            assertThat(row[2]).isEqualTo(e.transformName());
            assertThat(row[3]).isEqualTo(CloudEventKafka.source("transform-service"));
            assertThat(EventJson.read(row[4], TransformEvent.class)).isEqualTo(e);
            assertThat(row[5]).isEqualTo(TRACE);
        }
    }

    private static TransformEvent event(
            String transform,
            UUID runId,
            TransformStatus status,
            Integer exitCode,
            Summary summary,
            List<NodeFailure> failures,
            String message) {
        boolean end = status != TransformStatus.STARTED;
        return new TransformEvent(
                transform,
                runId.toString(),
                status,
                "build",
                "tag:nightly",
                "dev",
                new TransformTrigger(TransformTriggerKind.SYNC, List.of(7L, 8L), List.of("conn-a")),
                STARTED,
                end ? FINISHED : null,
                end ? Duration.between(STARTED, FINISHED) : null,
                exitCode,
                summary,
                failures,
                "corr-1",
                message,
                List.of("corr-1", "corr-2"));
    }

    /** A V5 run row; the four {@code %s}: exit code, summary, failures, message. */
    private static String insert(
            UUID runId,
            String transform,
            String status,
            int order,
            boolean startedPublished,
            boolean finishedPublished) {
        boolean ended = List.of("succeeded", "failed", "cancelled").contains(status);
        return "insert into transform_run (run_id, transform_name, project_key, status,"
                + " trigger_kind, sync_job_ids, connection_ids, correlation_id, correlation_ids,"
                + " not_before, queued_at, started_at, finished_at, command, select_expr, target,"
                + " exit_code, summary, failures, message, traceparent, started_published,"
                + " finished_published) values ('"
                + runId
                + "', '"
                + transform
                + "', 'key-"
                + runId
                + "', '"
                + status
                + "', 'sync', '{7,8}', '{conn-a}', 'corr-1', '{corr-1,corr-2}', now(),"
                + " timestamptz '2024-05-01T09:00:00Z' + interval '"
                + order
                + " seconds', "
                + ("queued".equals(status) ? "null" : "'" + STARTED + "'")
                + ", "
                + (ended ? "'" + FINISHED + "'" : "null")
                + ", 'build', 'tag:nightly', 'dev', %s, %s, %s, %s, '"
                + TRACE
                + "', "
                + startedPublished
                + ", "
                + finishedPublished
                + ")";
    }
}
