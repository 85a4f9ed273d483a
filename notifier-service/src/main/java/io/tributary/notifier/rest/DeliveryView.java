package io.tributary.notifier.rest;

import io.tributary.notifier.delivery.Delivery;
import java.time.Instant;

/**
 * A delivery as the API shows it.
 *
 * @param nextAttemptAt when a pending delivery is due (end of the grouping window, backoff)
 * @param correlationId the correlation id of the event it is about, when that event has one
 * @param resends how many times it was queued again after it failed
 * @param resentAt when it was last queued again
 */
public record DeliveryView(
        String id,
        String subscriptionId,
        String eventId,
        String eventType,
        String subject,
        String kind,
        String status,
        int eventCount,
        int attempts,
        Instant createdAt,
        Instant nextAttemptAt,
        Instant lastAttemptAt,
        Instant finishedAt,
        Integer lastStatusCode,
        String lastError,
        String correlationId,
        int resends,
        Instant resentAt) {

    public static DeliveryView of(Delivery d) {
        return new DeliveryView(
                d.id(),
                d.subscriptionId(),
                d.eventId(),
                d.eventType(),
                d.subject(),
                d.kind(),
                d.status(),
                d.eventCount(),
                d.attempts(),
                d.createdAt(),
                Delivery.PENDING.equals(d.status()) ? d.sendAfter() : null,
                d.lastAttemptAt(),
                d.finishedAt(),
                d.lastStatusCode(),
                d.lastError(),
                d.correlationId(),
                d.resends(),
                d.resentAt());
    }
}
