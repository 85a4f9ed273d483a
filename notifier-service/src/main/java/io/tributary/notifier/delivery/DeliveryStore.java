package io.tributary.notifier.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code delivery} table. Callers own the transaction. */
@ApplicationScoped
public class DeliveryStore {
    private static final String COLUMNS =
            "id, subscription_id, event_id, event_type, subject, kind, status, events, event_count,"
                    + " attempts, window_until, send_after, created_at, last_attempt_at,"
                    + " finished_at, last_status_code, last_error, claim_token, traceparent,"
                    + " correlation_id, resends, resent_at";

    @Inject DataSource dataSource;

    /** Stores a new pending delivery; false when (subscription, event) already has one. */
    public boolean insert(Delivery d) {
        String sql =
                "insert into delivery (id, subscription_id, event_id, event_type, subject, kind,"
                        + " status, events, event_count, attempts, window_until, send_after,"
                        + " created_at, traceparent, correlation_id)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)"
                        + " on conflict do nothing";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, d.id());
            ps.setString(2, d.subscriptionId());
            ps.setString(3, d.eventId());
            ps.setString(4, d.eventType());
            ps.setString(5, d.subject());
            ps.setString(6, d.kind());
            ps.setString(7, Delivery.PENDING);
            ps.setString(8, d.events());
            ps.setInt(9, d.eventCount());
            setInstant(ps, 10, d.windowUntil());
            setInstant(ps, 11, d.sendAfter());
            setInstant(ps, 12, d.createdAt());
            ps.setString(13, d.traceparent());
            ps.setString(14, d.correlationId());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store delivery " + d.id(), e);
        }
    }

    /**
     * The still-open group of a subject (pending, never claimed, window not over), locked so that a
     * sender cannot claim it while an event is folded in.
     */
    public Optional<Delivery> lockOpenGroup(
            String subscriptionId, String subject, String kind, Instant now) {
        return first(
                query(
                        "select "
                                + COLUMNS
                                + " from delivery where subscription_id = ? and subject = ?"
                                + " and kind = ? and status = 'pending' and attempts = 0"
                                + " and claim_token is null and window_until > ?"
                                + " order by created_at desc limit 1 for update",
                        subscriptionId,
                        subject,
                        kind,
                        now));
    }

    /** Folds one more event into an open group. */
    public void fold(String id, String events, int eventCount, String eventType) {
        execute(
                "update delivery set events = ?, event_count = ?, event_type = ? where id = ?",
                events,
                eventCount,
                eventType,
                id);
    }

    /** The latest send time of a subject's pending deliveries of a kind (to keep order). */
    public Optional<Instant> pendingUntil(String subscriptionId, String subject, String kind) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select max(send_after) from delivery where subscription_id = ?"
                                        + " and subject = ? and kind = ? and status = 'pending'")) {
            ps.setString(1, subscriptionId);
            ps.setString(2, subject);
            ps.setString(3, kind);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp ts = rs.getTimestamp(1);
                return Optional.ofNullable(ts == null ? null : ts.toInstant());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Claims up to {@code limit} due deliveries for one sender: rows locked by another sender are
     * skipped, and the claim lasts until {@code leaseUntil} (a sender that dies mid-send leaves the
     * row to be claimed again then).
     */
    public List<Delivery> claimDue(Instant now, Instant leaseUntil, String token, int limit) {
        return query(
                "update delivery set send_after = ?, claim_token = ? where id in (select id from"
                        + " delivery where status = 'pending' and send_after <= ?"
                        + " order by send_after, created_at limit ? for update skip locked)"
                        + " returning "
                        + COLUMNS,
                leaseUntil,
                token,
                now,
                limit);
    }

    /**
     * Records one attempt of a claimed delivery; false when the claim was lost (the lease ran out
     * and another sender took the row).
     */
    public boolean recordAttempt(
            String id,
            String token,
            String status,
            int attempts,
            Instant attemptAt,
            Instant sendAfter,
            Integer statusCode,
            String error) {
        return execute(
                        "update delivery set status = ?, attempts = ?, last_attempt_at = ?,"
                                + " send_after = ?, last_status_code = ?, last_error = ?,"
                                + " claim_token = null, finished_at = ?"
                                + " where id = ? and claim_token = ?",
                        status,
                        attempts,
                        attemptAt,
                        sendAfter,
                        statusCode,
                        error,
                        Delivery.PENDING.equals(status) ? null : attemptAt,
                        id,
                        token)
                == 1;
    }

    /** Gives a claimed delivery back without an attempt (rate limited): due again at {@code at}. */
    public void release(String id, String token, Instant at) {
        execute(
                "update delivery set send_after = ?, claim_token = null where id = ?"
                        + " and claim_token = ?",
                at,
                id,
                token);
    }

    /** Ends the pending deliveries of a subscription without sending (it was disabled). */
    public List<Delivery> failPending(String subscriptionId, String reason, Instant now) {
        return query(
                "update delivery set status = 'failed', last_error = ?, finished_at = ?,"
                        + " claim_token = null where subscription_id = ? and status = 'pending'"
                        + " and kind <> 'test' returning "
                        + COLUMNS,
                reason,
                now,
                subscriptionId);
    }

    /**
     * Queues a failed delivery again, due now: fresh attempts (its age counts from now), same id
     * (the webhook-id), no grouping window. Empty unless it was failed — a concurrent resend or a
     * pending, claimed or delivered row is left as it is.
     */
    public Optional<Delivery> requeueFailed(String id, Instant now) {
        return first(
                query(
                        "update delivery set status = 'pending', attempts = 0, send_after = ?,"
                                + " window_until = null, finished_at = null, claim_token = null,"
                                + " outcome_published = false, resends = resends + 1,"
                                + " resent_at = ? where id = ? and status = 'failed' returning "
                                + COLUMNS,
                        now,
                        now,
                        id));
    }

    /** The outcome of this round (resends) is on Kafka; a stale sweep marks no later round. */
    public void markPublished(String id, int resends) {
        execute(
                "update delivery set outcome_published = true where id = ? and resends = ?",
                id,
                resends);
    }

    /** Finished deliveries whose outcome event is not on Kafka yet (finished before the cutoff). */
    public List<Delivery> unpublished(Instant finishedBefore, int limit) {
        return query(
                "select "
                        + COLUMNS
                        + " from delivery where status <> 'pending' and not outcome_published"
                        + " and finished_at < ? order by finished_at limit ?",
                finishedBefore,
                limit);
    }

    public Optional<Delivery> find(String id) {
        return first(query("select " + COLUMNS + " from delivery where id = ?", id));
    }

    /** Newest first; null arguments do not filter. */
    public List<Delivery> list(String subscriptionId, String status, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from delivery where true");
        List<Object> args = new ArrayList<>();
        if (subscriptionId != null) {
            sql.append(" and subscription_id = ?");
            args.add(subscriptionId);
        }
        if (status != null) {
            sql.append(" and status = ?");
            args.add(status);
        }
        sql.append(" order by created_at desc, id limit ?");
        args.add(limit);
        return query(sql.toString(), args.toArray());
    }

    private int execute(String sql, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("delivery update failed", e);
        }
    }

    private List<Delivery> query(String sql, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<Delivery> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(map(rs));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("delivery query failed", e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            if (arg instanceof Instant) {
                setInstant(ps, i + 1, (Instant) arg);
            } else if (arg == null) {
                ps.setNull(i + 1, Types.NULL); // the server infers the column's type
            } else {
                ps.setObject(i + 1, arg);
            }
        }
    }

    private static void setInstant(PreparedStatement ps, int index, Instant value)
            throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setTimestamp(index, Timestamp.from(value));
        }
    }

    private static Optional<Delivery> first(List<Delivery> list) {
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    private static Delivery map(ResultSet rs) throws SQLException {
        int code = rs.getInt("last_status_code");
        Integer statusCode = rs.wasNull() ? null : code;
        return new Delivery(
                rs.getString("id"),
                rs.getString("subscription_id"),
                rs.getString("event_id"),
                rs.getString("event_type"),
                rs.getString("subject"),
                rs.getString("kind"),
                rs.getString("status"),
                rs.getString("events"),
                rs.getInt("event_count"),
                rs.getInt("attempts"),
                instant(rs, "window_until"),
                instant(rs, "send_after"),
                instant(rs, "created_at"),
                instant(rs, "last_attempt_at"),
                instant(rs, "finished_at"),
                statusCode,
                rs.getString("last_error"),
                rs.getString("claim_token"),
                rs.getString("traceparent"),
                rs.getString("correlation_id"),
                rs.getInt("resends"),
                instant(rs, "resent_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
