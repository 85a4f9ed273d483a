package io.tributary.notifier.messaging;

import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventIds;
import io.tributary.events.NotificationEvent;
import io.tributary.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Publishes the outcome of a delivery on {@code tributary.notification.events}, keyed by
 * subscription, through the outbox: stored in the transaction that records the outcome, sent by the
 * relay. One outcome per (subscription, event), so the ce_id derives from both — and, for a
 * delivery queued again after it failed, from the resend too: the new round's outcome is a new
 * event, not a duplicate of the failure consumers already deduped.
 */
@ApplicationScoped
public class NotificationEventPublisher {
    public static final String SOURCE = CloudEventKafka.source("notifier-service");

    @Inject Outbox outbox;

    /**
     * Stores the outcome of a delivery's round {@code resends} (0: its first, before any resend) in
     * the current transaction.
     */
    public void publish(NotificationEvent event, int resends) {
        outbox.add(event.ceType(), ceId(event, resends), event.subscriptionId(), event, SOURCE);
    }

    static String ceId(NotificationEvent event, int resends) {
        return resends == 0
                ? EventIds.derive("notification", event.subscriptionId(), event.eventId())
                : EventIds.derive(
                        "notification",
                        event.subscriptionId(),
                        event.eventId(),
                        "resend",
                        Integer.toString(resends));
    }
}
