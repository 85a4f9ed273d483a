package io.tributary.monitor.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventIds;
import io.tributary.events.EventType;
import io.tributary.events.FailureReason;
import io.tributary.events.JobType;
import io.tributary.events.StreamStats;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncRequested;
import io.tributary.events.SyncStarted;
import io.tributary.events.SyncStatus;
import io.tributary.events.Trigger;
import io.tributary.events.TriggerKind;
import io.tributary.monitor.job.JobEntity;
import io.tributary.monitor.job.SyncRequestEntity;
import io.tributary.support.AfterCommit;
import io.tributary.support.Traces;
import io.tributary.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The events of {@code tributary.sync.events}, stored in the outbox in the transaction that decides
 * them (the caller's): the relay publishes them after the commit, in store order. Ids derive from
 * the job and its requests, so anything stored twice is stored once and a re-send carries the same
 * {@code ce_id}. Each event is stored in the trace of the request it answers.
 */
@ApplicationScoped
public class SyncEventPublisher {
    static final String SOURCE = CloudEventKafka.source("sync-monitor-service");

    @Inject Outbox outbox;
    @Inject MeterRegistry registry;
    @Inject AfterCommit afterCommit;

    /**
     * {@code sync.started} for a group of requests a job came to serve: the job's own requests when
     * it starts, later ones that attach to it. The id derives from the job and the group.
     *
     * @param group the requests assigned together, oldest first; {@code attached} is theirs
     */
    public void started(JobEntity job, List<SyncRequestEntity> group) {
        List<String> ids = group.stream().map(r -> r.requestId).toList();
        SyncRequestEntity first = group.get(0);
        SyncStarted started =
                new SyncStarted(
                        job.connectionId,
                        job.jobId,
                        jobType(job.jobType),
                        ids,
                        Boolean.TRUE.equals(first.attached),
                        job.createdAt,
                        first.correlationId);
        String id =
                EventIds.derive("sync.started", String.valueOf(job.jobId), String.join(",", ids));
        // In the trace of the group's first request (the webhook's, a schedule's...).
        add(EventType.SYNC_STARTED, id, started.connectionId(), started, first.traceparent);
    }

    /**
     * The one ending of a job that served requests ({@code sync.succeeded}, {@code .failed} or
     * {@code .cancelled}), as stored in its row; counted in the metrics once committed.
     *
     * @param served the requests the job served, oldest first (not empty)
     * @param streams what the job committed per stream, null when not known
     */
    public void ended(JobEntity job, List<SyncRequestEntity> served, List<StreamStats> streams) {
        SyncStarted started =
                new SyncStarted(
                        job.connectionId,
                        job.jobId,
                        jobType(job.jobType),
                        served.stream().map(r -> r.requestId).toList(),
                        job.attached,
                        job.createdAt,
                        job.correlationId);
        SyncFinished finished =
                SyncFinished.of(
                                started,
                                SyncStatus.of(job.endingStatus),
                                job.finishedAt,
                                job.rowsSynced,
                                job.bytesSynced,
                                job.endingReason == null
                                        ? null
                                        : FailureReason.of(job.endingReason),
                                job.endingMessage)
                        .withStreams(streams);
        String id = endingId(job.jobId);
        // In the trace of the oldest request the job served.
        add(finished.ceType(), id, finished.connectionId(), finished, served.get(0).traceparent);
        String status = job.endingStatus;
        String reason = job.endingReason;
        String detectedBy = String.valueOf(job.detectedBy);
        Duration duration =
                job.finishedAt == null ? null : Duration.between(job.createdAt, job.finishedAt);
        Duration lag =
                job.finishedAt == null || job.detectedAt == null
                        ? null
                        : Duration.between(job.finishedAt, job.detectedAt);
        afterCommit.run(() -> recordEnding(status, reason, detectedBy, duration, lag));
    }

    /** The {@code ce_id} of a job's ending, whichever it is. */
    public static String endingId(long jobId) {
        return EventIds.derive("sync.ended", String.valueOf(jobId));
    }

    /** {@code sync.failed} of a request refused before any job ran (unknown connection...). */
    public void refused(SyncRequestEntity r) {
        SyncRequested request =
                new SyncRequested(
                        r.requestId,
                        r.connectionId,
                        jobType(r.jobType),
                        r.requestedAt,
                        new Trigger(TriggerKind.of(r.triggerKind), r.triggerId, r.triggerDetail),
                        r.correlationId);
        SyncFinished finished =
                SyncFinished.failedWithoutJob(
                        request,
                        r.assignedAt != null ? r.assignedAt : Instant.now(),
                        FailureReason.of(r.refusalReason),
                        r.refusalMessage);
        String id = EventIds.derive("sync.refused", r.requestId);
        add(finished.ceType(), id, finished.connectionId(), finished, r.traceparent);
        String reason = r.refusalReason;
        afterCommit.run(() -> count(SyncStatus.FAILED.wire(), reason));
    }

    /**
     * Stores the event with {@code traceparent} as the current trace (none when the request came
     * without one), whatever else is current on this thread (an API call's span, say).
     */
    private void add(EventType type, String id, String key, Object data, String traceparent) {
        try (Scope root = Context.root().makeCurrent();
                Scope trace = Traces.restore(traceparent)) {
            outbox.add(type, id, key, data, SOURCE);
        }
    }

    private void recordEnding(
            String status, String reason, String detectedBy, Duration duration, Duration lag) {
        count(status, reason);
        if (duration != null) {
            Timer.builder("tributary.monitor.job.duration")
                    .description("Airbyte job durations, creation to end")
                    .tag("status", status)
                    .register(registry)
                    .record(duration);
        }
        if (lag != null) {
            Timer.builder("tributary.monitor.detection.lag")
                    .description(
                            "From the job's end (Airbyte's lastUpdatedAt, whole seconds) to its"
                                    + " stored ending")
                    .tag("detected_by", detectedBy)
                    .register(registry)
                    .record(lag.isNegative() ? Duration.ZERO : lag);
        }
    }

    private void count(String status, String reason) {
        registry.counter(
                        "tributary.monitor.endings",
                        "status",
                        status,
                        "reason",
                        reason == null ? "none" : reason)
                .increment();
    }

    private static JobType jobType(String value) {
        try {
            return JobType.of(value);
        } catch (RuntimeException e) {
            return JobType.SYNC;
        }
    }
}
