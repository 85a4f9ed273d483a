package io.tributary.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code io.tributary.notification.delivered} and {@code .failed} on {@code
 * tributary.notification.events}, key {@code subscriptionId}.
 *
 * @param channel slack, teams, email, pagerduty, webhook (kept a string: channels get added)
 * @param eventId the {@code ce_id} of the event the notification was about
 * @param eventType the {@code ce_type} of that event
 * @param attempts delivery attempts made so far (1 on a first-try success)
 * @param message the channel's answer or the last error
 * @param deliveryId the notifier's delivery id (for {@code /api/deliveries})
 * @param correlationId the correlation id of the event the notification was about, when it has one
 *     (the {@code correlationId} of a sync or transform event)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotificationEvent(
        String subscriptionId,
        String channel,
        String eventId,
        String eventType,
        int attempts,
        DeliveryStatus status,
        String message,
        String deliveryId,
        String correlationId) {

    /** The data before {@code correlationId} was added (kept so existing callers compile). */
    public NotificationEvent(
            String subscriptionId,
            String channel,
            String eventId,
            String eventType,
            int attempts,
            DeliveryStatus status,
            String message,
            String deliveryId) {
        this(
                subscriptionId,
                channel,
                eventId,
                eventType,
                attempts,
                status,
                message,
                deliveryId,
                null);
    }

    /** The ce_type matching {@link #status()}. */
    public EventType ceType() {
        if (status == null) {
            throw new IllegalStateException("status is not set");
        }
        return EventType.notification(status);
    }
}
