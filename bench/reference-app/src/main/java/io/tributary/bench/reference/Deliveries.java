package io.tributary.bench.reference;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** The dedupe table: one row per (hook id, webhook-id), claimed by one insert. */
@ApplicationScoped
public class Deliveries {
    @Inject AgroalDataSource dataSource;

    void createTable(@Observes StartupEvent start) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute(
                    "create table if not exists ref_delivery (hook_id text not null, webhook_id"
                            + " text not null, received_at timestamptz not null default now(),"
                            + " primary key (hook_id, webhook_id))");
        }
    }

    /** True when this delivery is new (its row inserted), false for a duplicate. */
    boolean claim(String hookId, String webhookId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "insert into ref_delivery (hook_id, webhook_id) values (?, ?)"
                                        + " on conflict do nothing")) {
            ps.setString(1, hookId);
            ps.setString(2, webhookId);
            return ps.executeUpdate() == 1;
        }
    }
}
