package io.tributary.notifier.messaging;

import io.tributary.events.CloudEventKafka;
import io.tributary.events.DurableSend;
import io.tributary.events.EventIds;
import io.tributary.events.NotificationEvent;
import io.tributary.support.Traces;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Publishes the outcome of a delivery on {@code tributary.notification.events}, keyed by
 * subscription; one outcome per (subscription, event), so the ce_id derives from both — and, for a
 * delivery queued again after it failed, from the resend too: the new round's outcome is a new
 * event, not a duplicate of the failure consumers already deduped.
 */
@ApplicationScoped
public class NotificationEventPublisher {
    public static final String SOURCE = CloudEventKafka.source("notifier-service");

    @Channel("notification-events")
    Emitter<NotificationEvent> emitter;

    public CompletionStage<Void> publish(NotificationEvent event) {
        return publish(event, 0);
    }

    /** The outcome of a delivery's round {@code resends} (0: its first, before any resend). */
    public CompletionStage<Void> publish(NotificationEvent event, int resends) {
        String id =
                resends == 0
                        ? EventIds.derive("notification", event.subscriptionId(), event.eventId())
                        : EventIds.derive(
                                "notification",
                                event.subscriptionId(),
                                event.eventId(),
                                "resend",
                                Integer.toString(resends));
        return DurableSend.send(
                emitter,
                Traces.withCurrent(
                        CloudEventKafka.message(
                                event.ceType(), id, event.subscriptionId(), event, SOURCE)));
    }
}
