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
 * subscription; one outcome per (subscription, event), so the ce_id derives from both.
 */
@ApplicationScoped
public class NotificationEventPublisher {
    public static final String SOURCE = CloudEventKafka.source("notifier-service");

    @Channel("notification-events")
    Emitter<NotificationEvent> emitter;

    public CompletionStage<Void> publish(NotificationEvent event) {
        String id = EventIds.derive("notification", event.subscriptionId(), event.eventId());
        return DurableSend.send(
                emitter,
                Traces.withCurrent(
                        CloudEventKafka.message(
                                event.ceType(), id, event.subscriptionId(), event, SOURCE)));
    }
}
