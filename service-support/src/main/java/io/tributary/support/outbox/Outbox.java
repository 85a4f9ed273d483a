package io.tributary.support.outbox;

import io.tributary.events.EventJson;
import io.tributary.events.EventType;
import io.tributary.support.AfterCommit;
import io.tributary.support.Traces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Instant;

/**
 * The one way a service publishes after a database change: {@link #add} stores the event in the
 * caller's transaction, so the change and its event commit together or not at all; {@link
 * OutboxRelay} publishes it after the commit with the stored {@code ce_id}, and again after a crash
 * until Kafka acknowledged it.
 */
@ApplicationScoped
public class Outbox {
    @Inject OutboxRepository repository;
    @Inject OutboxRelay relay;
    @Inject TransactionSynchronizationRegistry transactions;
    @Inject AfterCommit afterCommit;

    /**
     * Stores an event in the current transaction (required); an id stored before is kept as it is.
     *
     * @param key the record key and {@code ce_subject}
     * @return true when the event was new
     */
    public boolean add(EventType type, String ceId, String key, Object data, String source) {
        return add(type, ceId, key, data, source, Instant.now());
    }

    /** See {@link #add(EventType, String, String, Object, String)}, with the event's time. */
    public boolean add(
            EventType type, String ceId, String key, Object data, String source, Instant time) {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            throw new IllegalStateException("Outbox.add runs inside the change's transaction");
        }
        if (!type.dataClass().isInstance(data)) {
            throw new IllegalArgumentException(type.type() + " carries " + type.dataClass());
        }
        OutboxEvent e = new OutboxEvent();
        e.ceId = ceId;
        e.ceType = type.type();
        e.subject = key;
        e.source = source;
        e.time = time;
        e.data = EventJson.toJson(data);
        e.traceparent = Traces.current();
        e.createdAt = Instant.now();
        boolean added = repository.add(e);
        afterCommit.run(relay::wake);
        return added;
    }
}
