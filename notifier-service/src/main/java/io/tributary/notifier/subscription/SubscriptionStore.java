package io.tributary.notifier.subscription;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.events.EventJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code subscription} table. Callers own the transaction. */
@ApplicationScoped
public class SubscriptionStore {
    private static final ObjectMapper JSON = EventJson.mapper();
    private static final String COLUMNS =
            "id, name, event_types, filters, channel, settings, enabled, notify_on_recovery,"
                    + " disabled_reason, origin, created_at, updated_at";

    @Inject DataSource dataSource;

    public void insert(Subscription s) {
        update(
                "insert into subscription (name, event_types, filters, channel, settings, enabled,"
                        + " notify_on_recovery, disabled_reason, origin, created_at, updated_at, id)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s);
    }

    /** Replaces everything but the id, origin and creation time; false when there is no such id. */
    public boolean replace(Subscription s) {
        return update(
                        "update subscription set name = ?, event_types = ?, filters = ?, channel = ?,"
                                + " settings = ?, enabled = ?, notify_on_recovery = ?,"
                                + " disabled_reason = ?, origin = ?, updated_at = ? where id = ?",
                        s)
                == 1;
    }

    private int update(String sql, Subscription s) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, s.name());
            ps.setString(i++, JSON.writeValueAsString(s.eventTypes()));
            ps.setString(i++, JSON.writeValueAsString(s.filters()));
            ps.setString(i++, s.channel().wire());
            ps.setString(i++, JSON.writeValueAsString(s.settings()));
            ps.setBoolean(i++, s.enabled());
            ps.setBoolean(i++, s.notifyOnRecovery());
            ps.setString(i++, s.disabledReason());
            ps.setString(i++, s.origin());
            if (sql.startsWith("insert")) {
                ps.setTimestamp(i++, Timestamp.from(s.createdAt()));
                ps.setTimestamp(i++, Timestamp.from(s.updatedAt()));
                ps.setString(i, s.id());
            } else {
                ps.setTimestamp(i++, Timestamp.from(s.updatedAt()));
                ps.setString(i, s.id());
            }
            return ps.executeUpdate();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot store subscription " + s.id(), e);
        }
    }

    public boolean delete(String id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("delete from subscription where id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete subscription " + id, e);
        }
    }

    /** Turns a subscription off, saying why (e.g. its destination answered 410 Gone). */
    public void disable(String id, String reason) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "update subscription set enabled = false, disabled_reason = ?,"
                                        + " updated_at = now() where id = ?")) {
            ps.setString(1, reason);
            ps.setString(2, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot disable subscription " + id, e);
        }
    }

    public Optional<Subscription> find(String id) {
        List<Subscription> found =
                query("select " + COLUMNS + " from subscription where id = ?", id);
        return found.stream().findFirst();
    }

    public Optional<Subscription> findByName(String name) {
        List<Subscription> found =
                query("select " + COLUMNS + " from subscription where name = ?", name);
        return found.stream().findFirst();
    }

    public List<Subscription> list() {
        return query("select " + COLUMNS + " from subscription order by name");
    }

    public List<Subscription> enabled() {
        return query("select " + COLUMNS + " from subscription where enabled order by id");
    }

    private List<Subscription> query(String sql, String... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            List<Subscription> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(map(rs));
                }
            }
            return result;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot read subscriptions", e);
        }
    }

    private static Subscription map(ResultSet rs) throws SQLException, IOException {
        return new Subscription(
                rs.getString("id"),
                rs.getString("name"),
                JSON.readValue(rs.getString("event_types"), new TypeReference<List<String>>() {}),
                JSON.readValue(rs.getString("filters"), Filters.class),
                ChannelType.of(rs.getString("channel")),
                (ObjectNode) JSON.readTree(rs.getString("settings")),
                rs.getBoolean("enabled"),
                rs.getBoolean("notify_on_recovery"),
                rs.getString("disabled_reason"),
                rs.getString("origin"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
