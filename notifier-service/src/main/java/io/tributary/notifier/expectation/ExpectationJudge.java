package io.tributary.notifier.expectation;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.tributary.events.EventIds;
import io.tributary.events.EventType;
import io.tributary.events.ExpectationEvent;
import io.tributary.events.ExpectationStatus;
import io.tributary.notifier.delivery.EventFacts;
import io.tributary.notifier.delivery.EventFacts.Outcome;
import io.tributary.notifier.delivery.EventFacts.SubjectKind;
import io.tributary.notifier.delivery.NotifierMetrics;
import io.tributary.notifier.expectation.Promises.Volume;
import io.tributary.notifier.messaging.ExpectationEventPublisher;
import io.tributary.support.schedule.Cron;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Keeps and judges expectations. Two ways in, both holding the expectation's row lock, so each
 * judgement happens once across replicas:
 *
 * <ul>
 *   <li>{@link #onEvent} in the consumer's transaction (once per event, by the inbox): a success
 *       keeps the subject's freshness and deadline promises, and a sync's rows are judged against
 *       its volume promises;
 *   <li>{@link #tick} claims the expectations whose persisted deadline has come ({@code for update
 *       skip locked}) and raises {@code missed} for those not kept. A deadline is judged once: the
 *       next one is computed from now, so deadlines that passed while no replica ran are not
 *       replayed one by one.
 * </ul>
 *
 * A miss raises one {@code missed} event; nothing more is raised until the promise is kept again,
 * which raises one {@code recovered}.
 */
@ApplicationScoped
public class ExpectationJudge {
    private static final Logger LOG = Logger.getLogger(ExpectationJudge.class);
    public static final String IDENTITY = "expectation-judge";
    static final int BATCH = 50;

    @Inject ExpectationRepository expectations;
    @Inject ExpectationHistoryRepository history;
    @Inject SyncVolumeRepository volumes;
    @Inject ExpectationEventPublisher publisher;
    @Inject NotifierMetrics metrics;

    /** A sync or transform event, in the consumer's transaction. */
    public void onEvent(EventFacts facts) {
        boolean kept =
                facts.outcome() == Outcome.SUCCESS
                        || EventType.TRANSFORM_SKIPPED.type().equals(facts.type());
        if (!kept || facts.subjectKind() == SubjectKind.EXPECTATION) {
            return;
        }
        Instant now = Instant.now();
        Instant at = finishedAt(facts);
        String subject = subjectId(facts);
        var data = facts.cloudEvent().path("data");
        boolean counted =
                EventType.SYNC_SUCCEEDED.type().equals(facts.type())
                        && data.path("rowsSynced").canConvertToLong()
                        && data.path("jobId").canConvertToLong();
        long rows = data.path("rowsSynced").asLong();
        long job = data.path("jobId").asLong();
        for (ExpectationEntity e : expectations.lockSubject(facts.subjectKind().wire(), subject)) {
            Expectation x = e.toExpectation();
            if (x.volume() == null) {
                keep(e, x, at, facts.correlationId(), now);
            } else if (counted) {
                judgeVolume(e, x, subject, at, rows, job, facts.correlationId(), now);
            }
        }
        if (counted) {
            volumes.record(subject, job, rows, at);
        }
    }

    @Scheduled(
            identity = IDENTITY,
            every = "${tributary.notifier.expectations.check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        while (QuarkusTransaction.requiringNew().call(this::judgeDue) >= BATCH) {
            // a full batch: more may be due
        }
    }

    /**
     * Judges the due expectations of one batch in the caller's transaction (required); returns how
     * many were due. Public for the tests that play a second replica.
     */
    public int judgeDue() {
        Instant now = Instant.now();
        List<ExpectationEntity> due = expectations.claimDue(now, BATCH);
        for (ExpectationEntity e : due) {
            judgeDeadline(e, e.toExpectation(), now);
        }
        return due.size();
    }

    private void judgeDeadline(ExpectationEntity e, Expectation x, Instant now) {
        Instant deadline = e.nextDeadlineAt;
        if (x.deadline() == null) {
            e.nextDeadlineAt = null; // freshness: the next success sets the next deadline
            if (x.freshness() != null && e.state() != ExpectationState.MISSED) {
                missed(e, x, deadline, now, null, null, null);
            }
            return;
        }
        Cron cron = Deadlines.cron(x.deadline());
        e.nextDeadlineAt = cron.nextAfter(now.isAfter(deadline) ? now : deadline).orElse(null);
        boolean kept =
                e.lastKeptAt != null && e.lastKeptAt.isAfter(Deadlines.windowStart(cron, deadline));
        if (kept) {
            e.state = ExpectationState.KEPT.wire();
            metrics.expectationJudged(x.promise(), "kept");
        } else if (e.state() != ExpectationState.MISSED) {
            missed(e, x, deadline, now, null, null, null);
        }
    }

    /** A success of the subject of a freshness or deadline promise. */
    private void keep(
            ExpectationEntity e, Expectation x, Instant t, String correlationId, Instant now) {
        if (e.lastKeptAt != null && !t.isAfter(e.lastKeptAt)) {
            return; // an older success, arriving late: it changes nothing
        }
        e.lastKeptAt = t;
        boolean missed = e.state() == ExpectationState.MISSED;
        if (x.freshness() != null) {
            Instant due = t.plus(Deadlines.every(x));
            if (!due.isAfter(now)) {
                // Too old to keep the promise even now: judged at once unless already missed.
                e.nextDeadlineAt = missed ? null : due;
                return;
            }
            e.nextDeadlineAt = due;
        } else if (missed
                && !t.isAfter(
                        Deadlines.windowStart(Deadlines.cron(x.deadline()), e.missedDeadlineAt))) {
            return; // before the window it missed
        }
        if (missed) {
            recovered(e, x, t, now, null, null, correlationId);
        }
        e.state = ExpectationState.KEPT.wire();
    }

    private void judgeVolume(
            ExpectationEntity e,
            Expectation x,
            String connection,
            Instant t,
            long rows,
            long job,
            String correlationId,
            Instant now) {
        Instant judged = e.missedDeadlineAt != null ? e.missedDeadlineAt : e.lastKeptAt;
        if (judged != null && t.isBefore(judged)) {
            return; // a newer sync was judged already
        }
        Volume v = x.volume();
        VolumeVerdict verdict =
                VolumeVerdict.of(v, volumes.before(connection, t, job, v.history()), rows);
        if (verdict.anomaly()) {
            if (e.state() != ExpectationState.MISSED) {
                missed(e, x, t, now, verdict, job, correlationId);
            }
            return;
        }
        if (e.state() == ExpectationState.MISSED) {
            recovered(e, x, t, now, verdict, job, correlationId);
        }
        e.state = ExpectationState.KEPT.wire();
        e.lastKeptAt = t;
    }

    private void missed(
            ExpectationEntity e,
            Expectation x,
            Instant deadline,
            Instant now,
            VolumeVerdict verdict,
            Long job,
            String correlationId) {
        ExpectationEvent event =
                event(
                        x,
                        ExpectationStatus.MISSED,
                        deadline,
                        e.lastKeptAt,
                        between(deadline, now),
                        now,
                        verdict,
                        job,
                        correlationId,
                        Messages.missed(x, e.lastKeptAt, verdict));
        raise(EventIds.derive("expectation", x.id(), "missed", deadline.toString()), event);
        e.state = ExpectationState.MISSED.wire();
        e.missedAt = now;
        e.missedDeadlineAt = deadline;
    }

    private void recovered(
            ExpectationEntity e,
            Expectation x,
            Instant keptAt,
            Instant now,
            VolumeVerdict verdict,
            Long job,
            String correlationId) {
        Instant deadline = e.missedDeadlineAt;
        ExpectationEvent event =
                event(
                        x,
                        ExpectationStatus.RECOVERED,
                        deadline,
                        keptAt,
                        between(deadline, keptAt),
                        now,
                        verdict,
                        job,
                        correlationId,
                        Messages.recovered(x, keptAt, deadline, verdict));
        raise(EventIds.derive("expectation", x.id(), "recovered", deadline.toString()), event);
        e.missedAt = null;
        e.missedDeadlineAt = null;
    }

    private void raise(String ceId, ExpectationEvent event) {
        publisher.publish(ceId, event);
        history.record(ceId, event);
        metrics.expectationJudged(event.promise(), event.status().wire());
        LOG.warnf(
                "expectation %s %s: %s",
                event.expectationId(), event.status().wire(), event.message());
    }

    private static ExpectationEvent event(
            Expectation x,
            ExpectationStatus status,
            Instant deadline,
            Instant lastKeptAt,
            Duration lateBy,
            Instant now,
            VolumeVerdict verdict,
            Long job,
            String correlationId,
            String message) {
        return new ExpectationEvent(
                x.id(),
                x.name(),
                x.subject().kind().wire(),
                x.subject().id(),
                x.promise(),
                x.freshness() == null ? null : x.freshness().every(),
                x.deadline() == null ? null : x.deadline().cron(),
                x.deadline() == null ? null : x.deadline().timeZone(),
                x.volume() == null ? null : x.volume().minRows(),
                x.volume() == null ? null : x.volume().fraction(),
                x.volume() == null ? null : x.volume().history(),
                Deadlines.describe(x),
                status,
                deadline,
                lastKeptAt,
                lateBy,
                now,
                verdict == null ? null : verdict.rows(),
                verdict == null ? null : verdict.median(),
                verdict == null ? null : verdict.threshold(),
                job,
                correlationId,
                message);
    }

    /** Never negative: a success stamped before its deadline but judged late is 0 late. */
    private static Duration between(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** When the sync or run ended ({@code finishedAt}), else the event's time. */
    private static Instant finishedAt(EventFacts facts) {
        try {
            return Instant.parse(facts.cloudEvent().path("data").path("finishedAt").asText());
        } catch (DateTimeParseException e) {
            return facts.time();
        }
    }

    /** Connection ids are kept lowercase (as expectations store them); names as they are. */
    private static String subjectId(EventFacts facts) {
        return facts.subjectKind() == SubjectKind.CONNECTION
                ? facts.subjectId().toLowerCase(Locale.ROOT)
                : facts.subjectId();
    }
}
