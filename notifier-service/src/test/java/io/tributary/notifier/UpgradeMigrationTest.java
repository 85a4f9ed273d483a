package io.tributary.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.DeliveryStatus;
import io.tributary.events.EventIds;
import io.tributary.events.EventJson;
import io.tributary.events.NotificationEvent;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.ServiceDatabase;
import io.tributary.notifier.subscription.LegacyFilters;
import io.tributary.support.cel.Conditions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * An upgrade from a database at V5 (before the outbox and CEL): V6 carries the outcomes that were
 * not on Kafka yet into {@code outbox_event} with the ce_ids the old sweep would have used, and V7
 * turns the stored JSON filters into the CEL that {@link LegacyFilters#toCel()} makes of them.
 */
@QuarkusTest
class UpgradeMigrationTest {
    @InjectInfrastructure Infrastructure infra;

    @Test
    void unpublishedOutcomesMoveToTheOutboxAndFiltersBecomeCel() throws Exception {
        ServiceDatabase db = infra.database("notifier-upgrade");
        Flyway.configure()
                .dataSource(db.jdbcUrl(), db.username(), db.password())
                .cleanDisabled(false)
                .load()
                .clean();
        migrate(db, "5");
        Map<String, LegacyFilters> filters = new LinkedHashMap<>();
        filters.put("none", new LegacyFilters(null, null, null));
        filters.put("connections", new LegacyFilters(List.of("c1", "it's \\ odd"), null, null));
        filters.put("transforms", new LegacyFilters(null, List.of("mart"), List.of("node_failed")));
        filters.put(
                "all",
                new LegacyFilters(List.of("c1"), List.of("t"), List.of("timed_out", "dbt_failed")));
        filters.put("reasons", new LegacyFilters(null, null, List.of("node_failed", "dbt_failed")));
        try (Connection c = connect(db);
                Statement s = c.createStatement()) {
            for (var f : filters.entrySet()) {
                s.executeUpdate(
                        "insert into subscription (id, name, event_types, filters, channel,"
                                + " settings) values ('"
                                + f.getKey()
                                + "', '"
                                + f.getKey()
                                + "', '[\"*\"]', '"
                                + EventJson.toJson(f.getValue()).replace("'", "''")
                                + "', 'webhook', '{}')");
            }
            s.executeUpdate(
                    "insert into delivery (id, subscription_id, event_id, event_type, subject,"
                            + " kind, status, events, attempts, send_after, finished_at,"
                            + " last_error, outcome_published, traceparent, correlation_id,"
                            + " resends) values"
                            + " ('d1', 'none', 'e1', 'io.tributary.sync.failed', 'connection:c1',"
                            + " 'event', 'delivered', '[]', 1, now(), now(), '200 OK', false,"
                            + " '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'r1',"
                            + " 0),"
                            + " ('d2', 'none', 'e2', 'io.tributary.sync.failed', 'connection:c1',"
                            + " 'event', 'failed', '[]', 4, now(), now(), 'gave up', false, null,"
                            + " null, 2),"
                            + " ('d3', 'none', 'e3', 'io.tributary.sync.failed', 'connection:c1',"
                            + " 'event', 'delivered', '[]', 1, now(), now(), '200', true, null,"
                            + " null, 0),"
                            + " ('d4', 'none', 'e4', 'io.tributary.sync.failed', 'connection:c1',"
                            + " 'event', 'pending', '[]', 0, now(), null, null, false, null,"
                            + " null, 0)");
        }
        migrate(db, "latest");

        try (Connection c = connect(db);
                Statement s = c.createStatement()) {
            for (var f : filters.entrySet()) {
                try (ResultSet rs =
                        s.executeQuery(
                                "select filter from subscription where id = '"
                                        + f.getKey()
                                        + "'")) {
                    rs.next();
                    String cel = rs.getString(1);
                    assertThat(cel).as(f.getKey()).isEqualTo(f.getValue().toCel());
                    if (cel != null) {
                        Conditions.EVENTS.compile(cel);
                    }
                }
            }
            List<String> ids = new ArrayList<>();
            List<NotificationEvent> outcomes = new ArrayList<>();
            try (ResultSet rs =
                    s.executeQuery(
                            "select ce_id, ce_type, subject, source, data, traceparent"
                                    + " from outbox_event order by seq")) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                    NotificationEvent event =
                            EventJson.read(rs.getString(5), NotificationEvent.class);
                    outcomes.add(event);
                    assertThat(rs.getString(2)).isEqualTo(event.ceType().type());
                    assertThat(rs.getString(3)).isEqualTo("none");
                    assertThat(rs.getString(4)).isEqualTo("/tributary/notifier-service");
                }
            }
            assertThat(ids)
                    .containsExactlyInAnyOrder(
                            EventIds.derive("notification", "none", "e1"),
                            EventIds.derive("notification", "none", "e2", "resend", "2"));
            assertThat(outcomes)
                    .containsExactlyInAnyOrder(
                            new NotificationEvent(
                                    "none",
                                    "webhook",
                                    "e1",
                                    "io.tributary.sync.failed",
                                    1,
                                    DeliveryStatus.DELIVERED,
                                    "200 OK",
                                    "d1",
                                    "r1"),
                            new NotificationEvent(
                                    "none",
                                    "webhook",
                                    "e2",
                                    "io.tributary.sync.failed",
                                    4,
                                    DeliveryStatus.FAILED,
                                    "gave up",
                                    "d2",
                                    null));
            try (ResultSet rs =
                    s.executeQuery(
                            "select count(*) from information_schema.columns where table_name in"
                                    + " ('delivery', 'subscription') and column_name in"
                                    + " ('outcome_published', 'claimed_at', 'filters')")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    private static void migrate(ServiceDatabase db, String target) {
        Flyway.configure()
                .dataSource(db.jdbcUrl(), db.username(), db.password())
                .locations("filesystem:src/main/resources/db/migration")
                .target(target)
                .load()
                .migrate();
    }

    private static Connection connect(ServiceDatabase db) throws Exception {
        return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
    }
}
