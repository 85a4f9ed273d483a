package io.tributary.trigger.kafka;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * The {@code kafka_trigger_throttle} table. Times are the database's ({@code now()}), so that
 * instances with different clocks agree on when an interval ends.
 */
@ApplicationScoped
public class KafkaTriggerThrottleRepository
        implements PanacheRepositoryBase<
                KafkaTriggerThrottleEntity, KafkaTriggerThrottleEntity.Key> {

    /** True when the interval has passed (or never started): the row now says "requested now". */
    boolean claim(String triggerId, String connectionId, long intervalMs) {
        return !getEntityManager()
                .createNativeQuery(
                        """
                        insert into kafka_trigger_throttle (trigger_id, connection_id, last_request_at, interval_ms)
                        values (?1, ?2, now(), ?3)
                        on conflict (trigger_id, connection_id) do update
                        set last_request_at = now(), interval_ms = excluded.interval_ms, pending_detail = null
                        where kafka_trigger_throttle.last_request_at
                              <= now() - excluded.interval_ms * interval '1 millisecond'
                        returning 1
                        """)
                .setParameter(1, triggerId)
                .setParameter(2, connectionId)
                .setParameter(3, intervalMs)
                .getResultList()
                .isEmpty();
    }

    /** Remembers the first record held back in the interval; returns the last request's time. */
    @SuppressWarnings("unchecked")
    Instant hold(String triggerId, String connectionId, long intervalMs, String detail) {
        List<Instant> last =
                getEntityManager()
                        .createNativeQuery(
                                """
                                update kafka_trigger_throttle
                                set pending_detail = coalesce(pending_detail, ?1), interval_ms = ?2
                                where trigger_id = ?3 and connection_id = ?4
                                returning last_request_at
                                """,
                                Instant.class)
                        .setParameter(1, detail)
                        .setParameter(2, intervalMs)
                        .setParameter(3, triggerId)
                        .setParameter(4, connectionId)
                        .getResultList();
        return last.isEmpty() ? Instant.now() : last.get(0);
    }

    /**
     * Rows whose interval ended with a record held back, oldest first, locked for this transaction
     * (another instance's sweep skips them); only rows of triggers that still exist.
     */
    @SuppressWarnings("unchecked")
    List<KafkaTriggerThrottleEntity> lockTrailing(int limit) {
        return getEntityManager()
                .createNativeQuery(
                        """
                        select t.* from kafka_trigger_throttle t
                        join kafka_trigger k on k.id = t.trigger_id
                        where t.pending_detail is not null
                          and t.last_request_at <= now() - t.interval_ms * interval '1 millisecond'
                        order by t.last_request_at limit ?1
                        for update of t skip locked
                        """,
                        KafkaTriggerThrottleEntity.class)
                .setParameter(1, limit)
                .getResultList();
    }

    /** Forgets the held-back record; {@code requested}: a trailing request was made now. */
    void clearPending(String triggerId, String connectionId, boolean requested) {
        getEntityManager()
                .createNativeQuery(
                        "update kafka_trigger_throttle set pending_detail = null"
                                + (requested ? ", last_request_at = now()" : "")
                                + " where trigger_id = ?1 and connection_id = ?2")
                .setParameter(1, triggerId)
                .setParameter(2, connectionId)
                .executeUpdate();
    }
}
