package io.tributary.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.ServiceDatabase;
import io.tributary.local.TributaryTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;

/**
 * V5 on a database of the previous version: what the old outbox had not published moves to the
 * shared outbox with the ce_id the old relay used (the request id), in its order; the inbox keeps
 * its ids; a delivery claim that never got its requests stored is dropped so the retry stores them.
 */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "trigger-service"),
        scope = TestResourceScope.GLOBAL)
class MigrationTest {
    @InjectInfrastructure Infrastructure infra;

    @Test
    void v5CarriesTheUnpublishedRequestsOver() throws Exception {
        ServiceDatabase db = infra.database("trigger-upgrade");
        FluentConfiguration flyway =
                Flyway.configure()
                        .dataSource(db.jdbcUrl(), db.username(), db.password())
                        .locations("classpath:db/migration")
                        .cleanDisabled(false);
        flyway.load().clean();
        flyway.target("4").load().migrate();
        try (Connection c =
                        DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                Statement s = c.createStatement()) {
            s.execute(
                    "insert into outbox (request_id, connection_id, payload, published_at)"
                            + " values ('sent', 'c0', '{}', now())");
            s.execute(
                    "insert into outbox (request_id, connection_id, payload) values"
                            + " ('r-2', 'c2', '{\"requestId\":\"r-2\"}'),"
                            + " ('r-1', 'c1', '{\"requestId\":\"r-1\"}')");
            s.execute("insert into processed_event (event_id) values ('upstream-1')");
            s.execute(
                    "insert into received_delivery (hook_id, delivery_id, request_ids, status)"
                            + " values ('h', 'claimed', 'x', 'pending'), ('h', 'done', 'y', 'done')");

            flyway.target("latest").load().migrate();

            List<String> rows = new ArrayList<>();
            try (ResultSet rs =
                    s.executeQuery(
                            "select ce_id, ce_type, subject, source, data from outbox_event"
                                    + " where published_at is null order by seq")) {
                while (rs.next()) {
                    rows.add(
                            String.join(
                                    " ",
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5)));
                }
            }
            assertThat(rows)
                    .containsExactly(
                            "r-2 io.tributary.sync.requested c2 /tributary/trigger-service"
                                    + " {\"requestId\":\"r-2\"}",
                            "r-1 io.tributary.sync.requested c1 /tributary/trigger-service"
                                    + " {\"requestId\":\"r-1\"}");
            try (ResultSet rs =
                    s.executeQuery(
                            "select count(*) from information_schema.tables"
                                    + " where table_name = 'outbox'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            try (ResultSet rs = s.executeQuery("select event_id from processed_event")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("upstream-1");
            }
            try (ResultSet rs = s.executeQuery("select delivery_id from received_delivery")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("done");
                assertThat(rs.next()).isFalse();
            }
        }
    }
}
