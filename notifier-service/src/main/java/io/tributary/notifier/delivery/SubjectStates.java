package io.tributary.notifier.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/** Per (subscription, subject): failing or not, what was last said and when. */
@ApplicationScoped
public class SubjectStates {

    public record State(boolean failing, String fingerprint, Instant lastNotifiedAt) {
        public static final State NEW = new State(false, null, null);
    }

    @Inject DataSource dataSource;

    /** The state, locked for the rest of the transaction. */
    public State lock(String subscriptionId, String subject) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement insert =
                    c.prepareStatement(
                            "insert into subject_state (subscription_id, subject) values (?, ?)"
                                    + " on conflict do nothing")) {
                insert.setString(1, subscriptionId);
                insert.setString(2, subject);
                insert.executeUpdate();
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "select failing, fingerprint, last_notified_at from subject_state"
                                    + " where subscription_id = ? and subject = ? for update")) {
                ps.setString(1, subscriptionId);
                ps.setString(2, subject);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Timestamp at = rs.getTimestamp(3);
                    return new State(
                            rs.getBoolean(1), rs.getString(2), at == null ? null : at.toInstant());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read subject state", e);
        }
    }

    public void save(String subscriptionId, String subject, State state) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "update subject_state set failing = ?, fingerprint = ?,"
                                        + " last_notified_at = ?, updated_at = now()"
                                        + " where subscription_id = ? and subject = ?")) {
            ps.setBoolean(1, state.failing());
            ps.setString(2, state.fingerprint());
            ps.setTimestamp(
                    3,
                    state.lastNotifiedAt() == null ? null : Timestamp.from(state.lastNotifiedAt()));
            ps.setString(4, subscriptionId);
            ps.setString(5, subject);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save subject state", e);
        }
    }

    public Optional<State> find(String subscriptionId, String subject) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select failing, fingerprint, last_notified_at from subject_state"
                                        + " where subscription_id = ? and subject = ?")) {
            ps.setString(1, subscriptionId);
            ps.setString(2, subject);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp at = rs.getTimestamp(3);
                return Optional.of(
                        new State(
                                rs.getBoolean(1),
                                rs.getString(2),
                                at == null ? null : at.toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
