package io.tributary.monitor.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An Airbyte job the monitor started or attached to. Written only by {@link JobCoordinator}.
 *
 * <p>{@link #phase}: {@code active} while Airbyte has not ended it; {@code ended} once its ending
 * is stored (with its event in the outbox, when it served requests).
 */
@Entity
@Table(name = "airbyte_job")
public class JobEntity {
    public static final String ACTIVE = "active";
    public static final String ENDED = "ended";

    @Id
    @Column(name = "job_id")
    public Long jobId;

    @Column(name = "connection_id", nullable = false)
    public String connectionId;

    @Column(name = "job_type", nullable = false)
    public String jobType;

    /** True when Tributary did not create the job (Airbyte's schedule, the UI...). */
    @Column(name = "attached", nullable = false)
    public boolean attached;

    /** Airbyte's last reported status, as text (unknown statuses are kept, never final). */
    @Column(name = "airbyte_status", nullable = false)
    public String airbyteStatus;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "tracked_at", nullable = false)
    public Instant trackedAt;

    @Column(name = "correlation_id")
    public String correlationId;

    @Column(name = "deadline_at", nullable = false)
    public Instant deadlineAt;

    @Column(name = "next_check_at", nullable = false)
    public Instant nextCheckAt;

    @Column(name = "last_checked_at")
    public Instant lastCheckedAt;

    @Column(name = "last_progress_log_at")
    public Instant lastProgressLogAt;

    @Column(name = "rows_synced")
    public Long rowsSynced;

    @Column(name = "bytes_synced")
    public Long bytesSynced;

    /** Airbyte's failure message from its webhook, used as the failed ending's message. */
    @Column(name = "hint_message")
    public String hintMessage;

    @Column(name = "phase", nullable = false)
    public String phase;

    @Column(name = "ending_status")
    public String endingStatus;

    @Column(name = "ending_reason")
    public String endingReason;

    @Column(name = "ending_message")
    public String endingMessage;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "detected_at")
    public Instant detectedAt;

    /** {@code hint}, {@code poll}, {@code list} or {@code deadline}: what noticed the end. */
    @Column(name = "detected_by")
    public String detectedBy;

    /** When we cancelled it (the deadline) or an operator asked to (the API). */
    @Column(name = "cancel_requested_at")
    public Instant cancelRequestedAt;

    /** The API token's name of the operator who cancelled it; null for the deadline's cancel. */
    @Column(name = "cancel_requested_by")
    public String cancelRequestedBy;

    /** We cancelled it because its deadline passed: it ends timed out, not cancelled. */
    public boolean cancelledForDeadline() {
        return cancelRequestedAt != null && cancelRequestedBy == null;
    }

    /** True once Airbyte's job has ended and its ending is stored. */
    public boolean isTerminal() {
        return !ACTIVE.equals(phase);
    }
}
