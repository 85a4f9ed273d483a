package io.tributary.notifier.delivery;

import java.time.Instant;

/**
 * One message to one subscription, stored before it is sent.
 *
 * @param id derived from (subscription, event id): stable, the generic webhook's {@code webhook-id}
 * @param eventId the {@code ce_id} of the first event it is about (unique per subscription)
 * @param subject {@code connection:<id>} or {@code transform:<name>}
 * @param kind alert, info, recovery (people's channels, grouped), event (generic webhook), test
 * @param status pending, delivered or failed
 * @param events JSON array of the structured CloudEvents folded into it (first ones kept)
 * @param eventCount how many events it stands for (ten identical failures: 10)
 * @param windowUntil while in the future, later events about the subject fold into it
 * @param sendAfter next attempt; while claimed, the end of the sender's lease
 * @param traceparent the W3C trace context of the event it is about (sent and published in it), or
 *     null
 * @param correlationId the {@code correlationId} of the (first) event it is about, or null
 * @param resends how many times it was queued again after it failed (each round's outcome event has
 *     its own ce_id)
 * @param resentAt when it was last queued again, or null
 */
public record Delivery(
        String id,
        String subscriptionId,
        String eventId,
        String eventType,
        String subject,
        String kind,
        String status,
        String events,
        int eventCount,
        int attempts,
        Instant windowUntil,
        Instant sendAfter,
        Instant createdAt,
        Instant lastAttemptAt,
        Instant finishedAt,
        Integer lastStatusCode,
        String lastError,
        String claimToken,
        String traceparent,
        String correlationId,
        int resends,
        Instant resentAt) {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";

    public static final String ALERT = "alert";
    public static final String INFO = "info";
    public static final String RECOVERY = "recovery";
    public static final String EVENT = "event";
    public static final String TEST = "test";

    /** Where its maximum age counts from: its creation, or its last resend. */
    public Instant ageFrom() {
        return resentAt != null ? resentAt : createdAt;
    }
}
