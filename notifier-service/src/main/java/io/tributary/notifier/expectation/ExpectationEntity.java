package io.tributary.notifier.expectation;

import io.tributary.notifier.expectation.Promises.Deadline;
import io.tributary.notifier.expectation.Promises.Freshness;
import io.tributary.notifier.expectation.Promises.Volume;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.DynamicUpdate;

/**
 * A row of {@code expectation}: the definition and its evaluation state. Updates write only the
 * columns that changed ({@code @DynamicUpdate}): a definition edit never writes back a stale state,
 * and the judge never writes back a stale definition.
 */
@Entity
@DynamicUpdate
@Table(name = "expectation")
public class ExpectationEntity {
    @Id public String id;

    @Column(nullable = false)
    public String name;

    /** {@code connection} or {@code transform}. */
    @Column(name = "subject_kind", nullable = false)
    public String subjectKind;

    @Column(name = "subject_id", nullable = false)
    public String subjectId;

    /** {@code freshness}, {@code deadline} or {@code volume}: which of the columns below apply. */
    @Column(nullable = false)
    public String promise;

    /** Freshness: ISO-8601 duration. */
    public String every;

    /** Deadline: cron (5 fields, or 6 with seconds first) and its IANA zone. */
    public String cron;

    @Column(name = "time_zone")
    public String timeZone;

    /** Volume. */
    @Column(name = "min_rows")
    public Long minRows;

    public Double fraction;

    public Integer history;

    public boolean enabled;

    /** {@code api} or {@code file}. */
    @Column(nullable = false)
    public String origin;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** {@link ExpectationState} in its wire form. */
    @Column(nullable = false)
    public String state = ExpectationState.UNKNOWN.wire();

    /** The last success that kept the promise (the event's time). */
    @Column(name = "last_kept_at")
    public Instant lastKeptAt;

    /** When the timer judges it next; null when nothing is due (volume, or a miss waiting). */
    @Column(name = "next_deadline_at")
    public Instant nextDeadlineAt;

    /** When the current miss was raised, and the deadline it missed. */
    @Column(name = "missed_at")
    public Instant missedAt;

    @Column(name = "missed_deadline_at")
    public Instant missedDeadlineAt;

    public ExpectationState state() {
        return ExpectationState.of(state);
    }

    static ExpectationEntity of(Expectation x) {
        ExpectationEntity e = new ExpectationEntity();
        e.id = x.id();
        e.createdAt = x.createdAt();
        e.copy(x);
        return e;
    }

    /** Takes everything but the id and creation time. */
    void copy(Expectation x) {
        name = x.name();
        subjectKind = x.subject().kind().wire();
        subjectId = x.subject().id();
        promise = x.promise();
        every = x.freshness() == null ? null : x.freshness().every();
        cron = x.deadline() == null ? null : x.deadline().cron();
        timeZone = x.deadline() == null ? null : x.deadline().timeZone();
        minRows = x.volume() == null ? null : x.volume().minRows();
        fraction = x.volume() == null ? null : x.volume().fraction();
        history = x.volume() == null ? null : x.volume().history();
        enabled = x.enabled();
        origin = x.origin();
        updatedAt = x.updatedAt();
    }

    Expectation toExpectation() {
        return new Expectation(
                id,
                name,
                new ExpectationSubject(SubjectKind.of(subjectKind), subjectId),
                "freshness".equals(promise) ? new Freshness(every) : null,
                "deadline".equals(promise) ? new Deadline(cron, timeZone) : null,
                "volume".equals(promise) ? new Volume(minRows, fraction, history) : null,
                enabled,
                origin,
                createdAt,
                updatedAt);
    }
}
