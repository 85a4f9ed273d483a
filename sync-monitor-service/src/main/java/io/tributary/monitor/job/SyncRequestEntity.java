package io.tributary.monitor.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A sync request as received from Kafka. {@link #status}: {@code pending} until a job serves it
 * ({@code assigned}, with {@link #jobId}) or it is refused ({@code refused}, with a reason).
 */
@Entity
@Table(name = "sync_request")
public class SyncRequestEntity {
    @Id
    @Column(name = "request_id")
    public String requestId;

    @Column(name = "event_id", nullable = false, unique = true)
    public String eventId;

    @Column(name = "connection_id", nullable = false)
    public String connectionId;

    @Column(name = "job_type", nullable = false)
    public String jobType;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    @Column(name = "trigger_kind", nullable = false)
    public String triggerKind;

    @Column(name = "trigger_id")
    public String triggerId;

    @Column(name = "trigger_detail")
    public String triggerDetail;

    @Column(name = "correlation_id")
    public String correlationId;

    @Column(name = "status", nullable = false)
    public String status;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "job_id")
    public Long jobId;

    /** True when the request joined a job that was already running. */
    @Column(name = "attached")
    public Boolean attached;

    @Column(name = "assigned_at")
    public Instant assignedAt;

    @Column(name = "refusal_reason")
    public String refusalReason;

    @Column(name = "refusal_message")
    public String refusalMessage;

    /** The W3C traceparent the request arrived with; null when it had none. */
    @Column(name = "traceparent")
    public String traceparent;
}
