package io.tributary.support.inbox;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * The inbox: the {@code ce_id}s this service has processed. The database decides, so a re-delivered
 * record changes nothing: call {@link #markProcessed} first in the transaction that does the work,
 * and do the work only when it answers true.
 */
@ApplicationScoped
public class ProcessedEvents implements PanacheRepositoryBase<ProcessedEvent, String> {
    @Inject TransactionSynchronizationRegistry transactions;

    /** Records the event in the current transaction; false when it was processed before. */
    public boolean markProcessed(String eventId, String eventType, String subject) {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            throw new IllegalStateException("markProcessed runs inside the work's transaction");
        }
        return getEntityManager()
                        .createNativeQuery(
                                "insert into processed_event (event_id, event_type, subject)"
                                        + " values (?1, ?2, ?3) on conflict do nothing")
                        .setParameter(1, eventId)
                        .setParameter(2, eventType)
                        .setParameter(3, subject)
                        .executeUpdate()
                == 1;
    }

    public boolean isProcessed(String eventId) {
        return count("eventId", eventId) > 0;
    }
}
