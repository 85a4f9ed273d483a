package io.tributary.monitor.job;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.events.FailureReason;
import io.tributary.events.JobType;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncRequested;
import io.tributary.events.SyncStarted;
import io.tributary.events.SyncStatus;
import io.tributary.events.Trigger;
import io.tributary.events.TriggerKind;
import io.tributary.monitor.messaging.SyncEventPublisher;
import io.tributary.support.Traces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Publishes what {@link JobCoordinator} stored: {@code sync.started} for newly assigned requests,
 * {@code sync.failed} for refused ones, and job endings. Each is marked published only after Kafka
 * acknowledged it; a crash in between re-sends it with the same derived {@code ce_id}, which
 * consumers drop. Endings are published under the job's row lock, so two replicas do not send the
 * same one at once; a job's ending waits until its {@code sync.started} events are out.
 */
@ApplicationScoped
public class Outbox {
    private static final Logger LOG = Logger.getLogger(Outbox.class);
    private static final int BATCH = 200;
    private static final long ACK_SECONDS = 30;

    @Inject SyncRequestRepository requests;
    @Inject JobRepository jobs;
    @Inject SyncEventPublisher publisher;
    @Inject MeterRegistry registry;

    /** Publishes everything pending; returns false when Kafka refused something (retried later). */
    public synchronized boolean publishPending() {
        try {
            publishStarted();
            publishRefusals();
            for (Long jobId : QuarkusTransaction.requiringNew().call(() -> jobs.endingIds(BATCH))) {
                publishEnding(jobId);
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("publishing sync events failed, retried on the next tick: %s", e.toString());
            return false;
        }
    }

    private void publishStarted() {
        List<SyncRequestEntity> unannounced =
                QuarkusTransaction.requiringNew().call(() -> requests.unannounced(BATCH));
        Map<String, List<SyncRequestEntity>> groups = new LinkedHashMap<>();
        for (SyncRequestEntity r : unannounced) {
            groups.computeIfAbsent(r.jobId + "/" + r.attached, k -> new ArrayList<>()).add(r);
        }
        for (List<SyncRequestEntity> group : groups.values()) {
            JobEntity job =
                    QuarkusTransaction.requiringNew().call(() -> jobs.findById(group.get(0).jobId));
            List<String> ids = group.stream().map(r -> r.requestId).toList();
            SyncStarted started =
                    new SyncStarted(
                            job.connectionId,
                            job.jobId,
                            jobType(job.jobType),
                            ids,
                            Boolean.TRUE.equals(group.get(0).attached),
                            job.createdAt,
                            group.get(0).correlationId);
            // In the trace of the group's first request (the webhook's, a schedule's...).
            try (var trace = Traces.restore(group.get(0).traceparent)) {
                await(publisher.started(started));
            }
            LOG.debugf("published sync.started for job %d: %s", job.jobId, ids);
            QuarkusTransaction.requiringNew()
                    .run(
                            () ->
                                    requests.update(
                                            "startedPublished = true where requestId in ?1", ids));
        }
    }

    private void publishRefusals() {
        List<SyncRequestEntity> refused =
                QuarkusTransaction.requiringNew().call(() -> requests.refusalsToPublish(BATCH));
        for (SyncRequestEntity r : refused) {
            SyncRequested request =
                    new SyncRequested(
                            r.requestId,
                            r.connectionId,
                            jobType(r.jobType),
                            r.requestedAt,
                            new Trigger(
                                    TriggerKind.of(r.triggerKind), r.triggerId, r.triggerDetail),
                            r.correlationId);
            SyncFinished finished =
                    SyncFinished.failedWithoutJob(
                            request,
                            r.assignedAt != null ? r.assignedAt : Instant.now(),
                            FailureReason.of(r.refusalReason),
                            r.refusalMessage);
            try (var trace = Traces.restore(r.traceparent)) {
                await(publisher.finished(finished.ceType(), finished));
            }
            QuarkusTransaction.requiringNew()
                    .run(
                            () ->
                                    requests.update(
                                            "refusalPublished = true where requestId = ?1",
                                            r.requestId));
            count(SyncStatus.FAILED.wire(), r.refusalReason);
        }
    }

    private void publishEnding(long jobId) {
        QuarkusTransaction.requiringNew()
                .timeout((int) ACK_SECONDS + 30)
                .run(
                        () -> {
                            JobEntity job = jobs.lock(jobId).orElse(null);
                            if (job == null
                                    || !JobEntity.ENDING.equals(job.phase)
                                    || requests.unannouncedFor(jobId) > 0) {
                                return;
                            }
                            List<SyncRequestEntity> served = requests.servedBy(jobId);
                            List<String> ids = served.stream().map(r -> r.requestId).toList();
                            SyncFinished finished = finished(job, ids);
                            // In the trace of the oldest request the job served.
                            try (var trace =
                                    Traces.restore(
                                            served.isEmpty() ? null : served.get(0).traceparent)) {
                                await(publisher.finished(finished.ceType(), finished));
                            }
                            Instant now = Instant.now();
                            LOG.infof(
                                    "published %s for job %d (connection %s, %d request(s))",
                                    finished.ceType().type(),
                                    job.jobId,
                                    job.connectionId,
                                    ids.size());
                            job.phase = JobEntity.ENDED;
                            job.publishedAt = now;
                            record(job, now);
                        });
    }

    static SyncFinished finished(JobEntity job, List<String> requestIds) {
        SyncStarted started =
                new SyncStarted(
                        job.connectionId,
                        job.jobId,
                        jobType(job.jobType),
                        requestIds,
                        job.attached,
                        job.createdAt,
                        job.correlationId);
        return SyncFinished.of(
                started,
                SyncStatus.of(job.endingStatus),
                job.finishedAt,
                job.rowsSynced,
                job.bytesSynced,
                job.endingReason == null ? null : FailureReason.of(job.endingReason),
                job.endingMessage);
    }

    private void record(JobEntity job, Instant publishedAt) {
        count(job.endingStatus, job.endingReason);
        if (job.finishedAt != null) {
            Timer.builder("tributary.monitor.job.duration")
                    .description("Airbyte job durations, creation to end")
                    .tag("status", job.endingStatus)
                    .register(registry)
                    .record(Duration.between(job.createdAt, job.finishedAt));
            Duration lag = Duration.between(job.finishedAt, publishedAt);
            Timer.builder("tributary.monitor.detection.lag")
                    .description(
                            "From the job's end (Airbyte's lastUpdatedAt, whole seconds) to the"
                                    + " acknowledged ending event")
                    .tag("detected_by", String.valueOf(job.detectedBy))
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

    private static void await(java.util.concurrent.CompletionStage<Void> sent) {
        try {
            sent.toCompletableFuture().get(ACK_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not acknowledge: " + e.getMessage(), e);
        }
    }
}
