package io.tributary.trigger.store;

import io.tributary.events.EventJson;
import io.tributary.events.SyncRequested;
import io.tributary.trigger.messaging.RequestSender;
import io.tributary.trigger.messaging.RequestSender.NotAcknowledgedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Requests decided inside a database transaction (a schedule fire, a rule match) are written here
 * in that same transaction, then published by {@link #relay()}: a decision is never lost when Kafka
 * is down or the instance dies, and a re-publish carries the same {@code ce_id}.
 *
 * <p>One relay at a time across all instances (a PostgreSQL advisory lock), oldest first, so the
 * requests of one connection keep their order.
 */
@ApplicationScoped
public class Outbox {
    private static final Logger LOG = Logger.getLogger(Outbox.class);
    private static final long RELAY_LOCK = 0x7472696767657232L;
    private static final int BATCH = 200;

    private final Db db;
    private final RequestSender sender;

    @Inject
    public Outbox(Db db, RequestSender sender) {
        this.db = db;
        this.sender = sender;
    }

    /** Adds requests inside the caller's transaction; a request id already there is kept as is. */
    public static void add(Connection c, List<SyncRequested> requests) throws SQLException {
        for (SyncRequested r : requests) {
            Db.update(
                    c,
                    "insert into outbox (request_id, connection_id, payload) values (?, ?, ?) on conflict (request_id) do nothing",
                    r.requestId(),
                    r.connectionId(),
                    EventJson.toJson(r));
        }
    }

    /**
     * Publishes what waits, batch after batch, until nothing is left, Kafka fails or another
     * instance relays.
     *
     * @return how many requests were acknowledged
     */
    public int relay() {
        int total = 0;
        while (true) {
            int sent;
            try {
                sent = relayBatch();
            } catch (NotAcknowledgedException e) {
                LOG.warnf("outbox relay paused: %s", e.getMessage());
                return total;
            } catch (RuntimeException e) {
                LOG.warnf("outbox relay failed: %s", e.toString());
                return total;
            }
            total += sent;
            if (sent < BATCH) {
                return total;
            }
        }
    }

    private int relayBatch() {
        return db.tx(
                c -> {
                    try (PreparedStatement lock =
                            Db.prepare(c, "select pg_try_advisory_xact_lock(?)", RELAY_LOCK)) {
                        ResultSet rs = lock.executeQuery();
                        if (!rs.next() || !rs.getBoolean(1)) {
                            return 0;
                        }
                    }
                    List<Long> seqs = new ArrayList<>();
                    List<SyncRequested> requests = new ArrayList<>();
                    try (PreparedStatement ps =
                            Db.prepare(
                                    c,
                                    "select seq, payload from outbox where published_at is null order by seq limit ?",
                                    BATCH)) {
                        ResultSet rs = ps.executeQuery();
                        while (rs.next()) {
                            seqs.add(rs.getLong(1));
                            requests.add(EventJson.read(rs.getString(2), SyncRequested.class));
                        }
                    }
                    if (requests.isEmpty()) {
                        return 0;
                    }
                    // Throws on failure: the transaction rolls back, the rows wait for the next
                    // relay.
                    sender.sendAndAwait(requests);
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "update outbox set published_at = now() where seq = any (?)")) {
                        ps.setArray(1, c.createArrayOf("bigint", seqs.toArray()));
                        ps.executeUpdate();
                    }
                    return requests.size();
                });
    }

    /** Requests still waiting for Kafka. */
    public int pending() {
        return db.tx(
                c -> {
                    try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "select count(*) from outbox where published_at is null");
                            ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getInt(1);
                    }
                });
    }

    /** Drops published rows older than {@code days} days. */
    public int purge(int days) {
        return db.tx(
                c ->
                        Db.update(
                                c,
                                "delete from outbox where published_at < now() - make_interval(days => ?)",
                                days));
    }
}
