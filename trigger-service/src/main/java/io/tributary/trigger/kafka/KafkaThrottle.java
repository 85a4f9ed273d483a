package io.tributary.trigger.kafka;

import io.tributary.events.EventIds;
import io.tributary.events.EventJson;
import io.tributary.events.SyncRequested;
import io.tributary.events.Trigger;
import io.tributary.events.TriggerKind;
import io.tributary.trigger.definition.DefinitionJson;
import io.tributary.trigger.definition.KafkaTriggerDefinition;
import io.tributary.trigger.store.Db;
import io.tributary.trigger.store.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns matching external records into sync requests, at most one per (trigger, connection) per
 * minimum interval. The interval state lives in PostgreSQL ({@code kafka_trigger_throttle}), so it
 * holds across restarts and between instances; the requests go to the outbox in the same
 * transaction, so once {@link #accept} returns they are durable and the record's offset may be
 * committed. The first record held back during an interval is remembered ({@code pending_detail})
 * and {@link #sweep()} requests one trailing sync when the interval ends: the last changes of a
 * flood are synced too.
 */
@ApplicationScoped
public class KafkaThrottle {
    private static final int SWEEP_BATCH = 200;

    private final Db db;

    @Inject
    public KafkaThrottle(Db db) {
        this.db = db;
    }

    /**
     * What one runner already knows about its connections' intervals: records inside a known
     * interval whose hold-back is already recorded skip the database.
     */
    static final class Cache {
        private final Map<String, Instant> quietUntil = new HashMap<>();
        private final Map<String, Boolean> pendingRecorded = new HashMap<>();

        boolean skip(String connectionId, Instant now) {
            Instant until = quietUntil.get(connectionId);
            return until != null
                    && now.isBefore(until)
                    && pendingRecorded.getOrDefault(connectionId, false);
        }

        void requested(String connectionId, Instant until) {
            quietUntil.put(connectionId, until);
            pendingRecorded.put(connectionId, false);
        }

        void held(String connectionId, Instant until) {
            quietUntil.put(connectionId, until);
            pendingRecorded.put(connectionId, true);
        }
    }

    /**
     * Decides one matching record: the requests it causes are in the outbox when this returns.
     *
     * @return the requests written (empty when every connection is inside its interval)
     */
    List<SyncRequested> accept(
            KafkaTriggerDefinition def, String topic, int partition, long offset, Cache cache) {
        Instant now = Instant.now();
        List<String> candidates = new ArrayList<>();
        for (String connection : def.connectionIds()) {
            if (!cache.skip(connection, now)) {
                candidates.add(connection);
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        String detail = topic + "/" + partition + "/" + offset;
        long intervalMs = def.minInterval().toMillis();
        return db.tx(
                c -> {
                    List<SyncRequested> requests = new ArrayList<>();
                    for (String connection : candidates) {
                        if (intervalMs == 0) {
                            requests.add(request(def, connection, detail));
                            continue;
                        }
                        if (claim(c, def.id(), connection, intervalMs)) {
                            requests.add(request(def, connection, detail));
                            cache.requested(connection, now.plusMillis(intervalMs));
                        } else {
                            Instant last = hold(c, def.id(), connection, intervalMs, detail);
                            cache.held(connection, last.plusMillis(intervalMs));
                        }
                    }
                    Outbox.add(c, requests);
                    return requests;
                });
    }

    /** True when the interval has passed (or never started): the row now says "requested now". */
    private static boolean claim(Connection c, String triggerId, String connection, long intervalMs)
            throws SQLException {
        try (PreparedStatement ps =
                Db.prepare(
                        c,
                        "insert into kafka_trigger_throttle (trigger_id, connection_id, last_request_at, interval_ms)"
                                + " values (?, ?, now(), ?)"
                                + " on conflict (trigger_id, connection_id) do update"
                                + " set last_request_at = now(), interval_ms = excluded.interval_ms, pending_detail = null"
                                + " where kafka_trigger_throttle.last_request_at"
                                + " <= now() - excluded.interval_ms * interval '1 millisecond'"
                                + " returning 1",
                        triggerId,
                        connection,
                        intervalMs)) {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Remembers the first record held back in the interval; the last request's time. */
    private static Instant hold(
            Connection c, String triggerId, String connection, long intervalMs, String detail)
            throws SQLException {
        try (PreparedStatement ps =
                Db.prepare(
                        c,
                        "update kafka_trigger_throttle set pending_detail = coalesce(pending_detail, ?),"
                                + " interval_ms = ? where trigger_id = ? and connection_id = ?"
                                + " returning last_request_at",
                        detail,
                        intervalMs,
                        triggerId,
                        connection)) {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1).toInstant() : Instant.now();
            }
        }
    }

    /**
     * Requests the trailing syncs whose interval ended with records held back (any instance may run
     * it: rows are locked with {@code skip locked}).
     *
     * @return how many requests went to the outbox
     */
    public int sweep() {
        return db.tx(
                c -> {
                    List<SyncRequested> requests = new ArrayList<>();
                    try (PreparedStatement ps =
                            Db.prepare(
                                    c,
                                    "select t.trigger_id, t.connection_id, t.pending_detail, k.body::text"
                                            + " from kafka_trigger_throttle t join kafka_trigger k on k.id = t.trigger_id"
                                            + " where t.pending_detail is not null"
                                            + " and t.last_request_at <= now() - t.interval_ms * interval '1 millisecond'"
                                            + " order by t.last_request_at limit ?"
                                            + " for update of t skip locked",
                                    SWEEP_BATCH)) {
                        List<String[]> due = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                due.add(
                                        new String[] {
                                            rs.getString(1),
                                            rs.getString(2),
                                            rs.getString(3),
                                            rs.getString(4)
                                        });
                            }
                        }
                        for (String[] row : due) {
                            KafkaTriggerDefinition def =
                                    DefinitionJson.read(
                                            EventJson.tree(row[3]), KafkaTriggerDefinition.class);
                            boolean still = def.isEnabled() && def.connectionIds().contains(row[1]);
                            if (still) {
                                requests.add(request(def, row[1], row[2]));
                            }
                            Db.update(
                                    c,
                                    "update kafka_trigger_throttle set pending_detail = null"
                                            + (still ? ", last_request_at = now()" : "")
                                            + " where trigger_id = ? and connection_id = ?",
                                    row[0],
                                    row[1]);
                        }
                    }
                    Outbox.add(c, requests);
                    return requests.size();
                });
    }

    /**
     * The request for one record and connection: its id derives from the record's coordinates, so a
     * record read again (a crash before the offset commit) yields the same {@code ce_id}.
     */
    static SyncRequested request(KafkaTriggerDefinition def, String connection, String detail) {
        String requestId =
                EventIds.derive("kafka", def.id(), detail, connection, def.jobType().wire());
        return new SyncRequested(
                requestId,
                connection,
                def.jobType(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                new Trigger(TriggerKind.KAFKA, def.id(), detail),
                requestId);
    }
}
