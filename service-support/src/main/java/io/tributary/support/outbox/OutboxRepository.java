package io.tributary.support.outbox;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The {@code outbox_event} table (see this module's README for its DDL). */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEvent, Long> {
    /** One relay at a time per database keeps the events of one subject in their order. */
    private static final long RELAY_LOCK = 0x74726962_6f757462L;

    /** Stores an event; an id stored before is kept as it is. True when it was new. */
    boolean add(OutboxEvent e) {
        return getEntityManager()
                        .createNativeQuery(
                                "insert into outbox_event (ce_id, ce_type, subject, source,"
                                        + " event_time, data, traceparent, created_at)"
                                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                                        + " on conflict (ce_id) do nothing")
                        .setParameter(1, e.ceId)
                        .setParameter(2, e.ceType)
                        .setParameter(3, e.subject)
                        .setParameter(4, e.source)
                        .setParameter(5, e.time)
                        .setParameter(6, e.data)
                        .setParameter(7, e.traceparent)
                        .setParameter(8, e.createdAt)
                        .executeUpdate()
                == 1;
    }

    /** Takes this database's relay lock for the current transaction; false if another has it. */
    boolean tryRelayLock() {
        return (Boolean)
                getEntityManager()
                        .createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                        .setParameter(1, RELAY_LOCK)
                        .getSingleResult();
    }

    /** The oldest unpublished events, locked for this transaction (others skip them). */
    @SuppressWarnings("unchecked")
    List<OutboxEvent> claim(int limit) {
        return getEntityManager()
                .createNativeQuery(
                        "select * from outbox_event where published_at is null"
                                + " order by seq limit ?1 for update skip locked",
                        OutboxEvent.class)
                .setParameter(1, limit)
                .getResultList();
    }

    void markPublished(List<Long> seqs, Instant at) {
        update("publishedAt = ?1 where seq in ?2", at, seqs);
    }

    /**
     * Those of these ids stored and not yet acknowledged by Kafka (published or purged: absent).
     */
    public List<String> unpublished(List<String> ceIds) {
        return getEntityManager()
                .createQuery(
                        "select e.ceId from OutboxEvent e where e.ceId in ?1 and e.publishedAt is null",
                        String.class)
                .setParameter(1, ceIds)
                .getResultList();
    }

    /** Events not yet acknowledged by Kafka. */
    public long pending() {
        return count("publishedAt is null");
    }

    /** Removes events published before {@code before}; returns how many. */
    long purgePublishedBefore(Instant before) {
        return delete("publishedAt < ?1", before);
    }
}
