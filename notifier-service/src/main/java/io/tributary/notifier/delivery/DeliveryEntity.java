package io.tributary.notifier.delivery;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code delivery}; the rest of the service reads it as a {@link Delivery}. */
@Entity
@Table(name = "delivery")
public class DeliveryEntity {
    @Id public String id;

    @Column(name = "subscription_id", nullable = false)
    public String subscriptionId;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(nullable = false)
    public String subject;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String status;

    /** JSON array of the structured CloudEvents folded into it. */
    @Column(nullable = false)
    public String events;

    @Column(name = "event_count")
    public int eventCount;

    public int attempts;

    @Column(name = "window_until")
    public Instant windowUntil;

    @Column(name = "send_after", nullable = false)
    public Instant sendAfter;

    @Column(name = "claim_token")
    public String claimToken;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_attempt_at")
    public Instant lastAttemptAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "last_status_code")
    public Integer lastStatusCode;

    @Column(name = "last_error")
    public String lastError;

    public String traceparent;

    @Column(name = "correlation_id")
    public String correlationId;

    public int resends;

    @Column(name = "resent_at")
    public Instant resentAt;

    Delivery toDelivery() {
        return new Delivery(
                id,
                subscriptionId,
                eventId,
                eventType,
                subject,
                kind,
                status,
                events,
                eventCount,
                attempts,
                windowUntil,
                sendAfter,
                createdAt,
                lastAttemptAt,
                finishedAt,
                lastStatusCode,
                lastError,
                claimToken,
                traceparent,
                correlationId,
                resends,
                resentAt);
    }
}
