package io.tributary.trigger.webhook;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The {@code received_delivery} table: each delivery's request ids, once per (scope, id). */
@ApplicationScoped
public class ReceivedDeliveryRepository
        implements PanacheRepositoryBase<ReceivedDeliveryEntity, ReceivedDeliveryEntity.Key> {

    /**
     * Records a delivery with its request ids, as answered (its caller is about to be); false when
     * it was recorded before (a concurrent call waits here until the first one's transaction ends).
     */
    public boolean storeIfNew(String scope, String deliveryId, List<String> requestIds) {
        return getEntityManager()
                        .createNativeQuery(
                                "insert into received_delivery (hook_id, delivery_id, request_ids,"
                                        + " status) values (?1, ?2, ?3, ?4) on conflict do nothing")
                        .setParameter(1, scope)
                        .setParameter(2, deliveryId)
                        .setParameter(3, String.join(",", requestIds))
                        .setParameter(4, ReceivedDeliveryEntity.DONE)
                        .executeUpdate()
                == 1;
    }

    /** Marks a pending delivery done; false when another call did so first. */
    public boolean confirm(String scope, String deliveryId) {
        return update(
                        "status = ?1 where hookId = ?2 and deliveryId = ?3 and status = ?4",
                        ReceivedDeliveryEntity.DONE,
                        scope,
                        deliveryId,
                        ReceivedDeliveryEntity.PENDING)
                == 1;
    }

    /** The first caller could not be answered: the next one to see the requests out is. */
    public void reopen(String scope, String deliveryId) {
        update(
                "status = ?1 where hookId = ?2 and deliveryId = ?3",
                ReceivedDeliveryEntity.PENDING,
                scope,
                deliveryId);
    }

    /** Forgets deliveries received before {@code before}; returns how many. */
    public long purgeBefore(Instant before) {
        return delete("receivedAt < ?1", before);
    }
}
