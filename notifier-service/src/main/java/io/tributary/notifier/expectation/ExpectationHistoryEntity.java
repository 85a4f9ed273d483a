package io.tributary.notifier.expectation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code expectation_history}: one missed or recovered event raised. */
@Entity
@Table(name = "expectation_history")
public class ExpectationHistoryEntity {
    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "expectation_id", nullable = false)
    public String expectationId;

    /** {@code missed} or {@code recovered}. */
    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public Instant at;

    @Column(nullable = false)
    public Instant deadline;

    @Column(name = "last_kept_at")
    public Instant lastKeptAt;

    @Column(name = "late_by")
    public String lateBy;

    @Column(nullable = false)
    public String message;

    @Column(name = "rows_synced")
    public Long rowsSynced;

    @Column(name = "median_rows")
    public Long medianRows;

    public Long threshold;

    @Column(name = "job_id")
    public Long jobId;

    /** The run that broke (volume) or kept the promise again, when known: the console links it. */
    @Column(name = "correlation_id")
    public String correlationId;
}
