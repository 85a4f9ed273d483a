package io.tributary.monitor.job;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.events.FailureReason;
import io.tributary.monitor.airbyte.AirbyteApiException;
import io.tributary.monitor.airbyte.AirbyteClient;
import io.tributary.monitor.airbyte.AirbyteConnection;
import io.tributary.monitor.airbyte.AirbyteJob;
import io.tributary.monitor.airbyte.AirbyteUnavailableException;
import io.tributary.monitor.config.MonitorConfig;
import io.tributary.monitor.messaging.SyncEventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Owns the lifecycle of requests and jobs: the only writer of their state after a request is
 * stored. Two operations, each in its own transaction and each safe to run on several replicas:
 *
 * <ul>
 *   <li>{@link #dispatch(String)} serves a connection's pending requests, under the connection's
 *       advisory lock: attach them to the running job if it was created after they were made, else
 *       start one job (or wait for the running one to end, then start exactly one follow-up).
 *   <li>{@link #check(long, String, String)} and {@link #observed(AirbyteJob, String)} look at a
 *       job under its row lock ({@code for update skip locked}): record progress, enforce the
 *       deadline, and when Airbyte says it ended, store the ending.
 * </ul>
 *
 * Each event is stored in the outbox by the transaction that decides it ({@link
 * SyncEventPublisher}): {@code sync.started} with the requests a job serves, the refusal with the
 * refused request, the ending with the job's ending. Requests attach to a tracked job only under
 * its row lock, under which its ending is stored too: so every {@code sync.started} of a job is
 * stored before its ending (the relay publishes in store order), and the ending names every request
 * the job served. No Kafka record is held meanwhile and nothing lives only in memory: after a crash
 * every pending request and running job is picked up from the database, every stored event by the
 * relay.
 */
@ApplicationScoped
public class JobCoordinator {
    private static final Logger LOG = Logger.getLogger(JobCoordinator.class);
    private static final int NEWEST = 5;

    @Inject AirbyteClient airbyte;
    @Inject SyncRequestRepository requests;
    @Inject JobRepository jobs;
    @Inject PolicyRepository policies;
    @Inject MonitorState state;
    @Inject MonitorConfig config;
    @Inject SyncEventPublisher events;

    /** What a dispatch did, for the logs. */
    public enum Dispatch {
        NOTHING,
        BUSY,
        STARTED,
        ATTACHED,
        WAITING,
        REFUSED,
        DEFERRED
    }

    // ---------------------------------------------------------------- requests → jobs

    /** Serves the connection's pending requests; never throws for Airbyte trouble. */
    public Dispatch dispatch(String connectionId) {
        try {
            return QuarkusTransaction.requiringNew()
                    .timeout(timeoutSeconds())
                    .call(() -> dispatchLocked(connectionId));
        } catch (AirbyteUnavailableException e) {
            LOG.debugf(
                    "connection %s: Airbyte unavailable (%s), requests wait",
                    connectionId, e.getMessage());
            return Dispatch.DEFERRED;
        }
    }

    private Dispatch dispatchLocked(String connectionId) {
        if (!state.tryLockConnection(connectionId)) {
            return Dispatch.BUSY;
        }
        List<SyncRequestEntity> pending = requests.pending(connectionId);
        if (pending.isEmpty()) {
            return Dispatch.NOTHING;
        }
        Optional<AirbyteConnection> connection = airbyte.connection(connectionId);
        if (connection.isEmpty()) {
            return refuse(
                    pending,
                    FailureReason.CONNECTION_NOT_FOUND,
                    "Airbyte has no connection " + connectionId);
        }
        if (!connection.get().isActive()) {
            return refuse(
                    pending,
                    FailureReason.CONNECTION_INACTIVE,
                    "Airbyte connection " + connectionId + " is " + connection.get().status());
        }
        Optional<Long> active = jobs.activeFor(connectionId);
        if (active.isPresent()) {
            // Under the job's row lock, as its ending is stored: a request attached now is in it.
            Optional<JobEntity> job = jobs.lock(active.get());
            if (job.isEmpty()) {
                return Dispatch.BUSY; // a check holds it: the requests wait for the next tick
            }
            if (job.get().isTerminal()) {
                return Dispatch.DEFERRED; // it ended meanwhile: served by the next dispatch
            }
            return attachEligible(job.get(), pending, null);
        }
        Optional<Instant> attempted = state.postAttemptedAt(connectionId);
        if (attempted.isPresent()) {
            // An earlier POST /jobs got no answer: never post blindly again, look first.
            Optional<Dispatch> found =
                    adoptAfterUncertainPost(connectionId, pending, attempted.get());
            if (found.isPresent()) {
                return found.get();
            }
        }
        return startJob(connectionId, pending);
    }

    private Optional<Dispatch> adoptAfterUncertainPost(
            String connectionId, List<SyncRequestEntity> pending, Instant attemptedAt) {
        List<AirbyteJob> newest = airbyte.newestJobs(connectionId, NEWEST);
        Instant since = attemptedAt.truncatedTo(ChronoUnit.SECONDS);
        for (AirbyteJob job : newest) {
            if (job.createdAt() != null && !job.createdAt().isBefore(since)) {
                LOG.infof(
                        "connection %s: job %d was created by the POST whose answer was lost",
                        connectionId, job.jobId());
                state.clearPostAttempt(connectionId);
                return Optional.of(track(job, false, pending, attemptedAt));
            }
        }
        Optional<AirbyteJob> running = newest.stream().filter(j -> !j.isTerminal()).findFirst();
        if (running.isEmpty()) {
            // No job came of it. The attempt stays until startJob records its own in a transaction
            // of its own: clearing the row here would lock it against that very write.
            return Optional.empty();
        }
        state.clearPostAttempt(connectionId);
        return Optional.of(track(running.get(), true, pending, null));
    }

    private Dispatch startJob(String connectionId, List<SyncRequestEntity> pending) {
        String jobType = pending.get(0).jobType;
        Instant attempt = Instant.now();
        // Committed before the call: if the answer is lost (timeout, crash), the next dispatch
        // lists the connection's jobs instead of starting a duplicate. This transaction has not
        // written the row (see adoptAfterUncertainPost), so the write never waits on it.
        QuarkusTransaction.requiringNew()
                .run(() -> state.setPostAttemptedAt(connectionId, attempt));
        AirbyteJob job;
        try {
            job = airbyte.createJob(connectionId, jobType);
        } catch (AirbyteUnavailableException e) {
            if (e.sent()) {
                throw e; // the answer is lost: the attempt stays, the next dispatch looks first
            }
            // Our rate limit, the open breaker, no token: nothing reached Airbyte, nothing to
            // adopt.
            state.clearPostAttempt(connectionId);
            LOG.debugf("connection %s: job start not sent (%s)", connectionId, e.getMessage());
            return Dispatch.DEFERRED;
        } catch (AirbyteApiException e) {
            state.clearPostAttempt(connectionId);
            return refused(connectionId, pending, jobType, e);
        }
        state.clearPostAttempt(connectionId);
        LOG.infof(
                "connection %s: started Airbyte %s job %d for %d request(s)",
                connectionId, jobType, job.jobId(), pending.size());
        return track(job, false, pending, attempt);
    }

    private Dispatch refused(
            String connectionId,
            List<SyncRequestEntity> pending,
            String jobType,
            AirbyteApiException e) {
        if (e.isTryAgainLater()) {
            // A job runs that we do not track (Airbyte's schedule, the UI, another tool): the 409
            // has no id, so find it, newest first.
            Optional<AirbyteJob> running =
                    airbyte.newestJobs(connectionId, NEWEST).stream()
                            .filter(j -> !j.isTerminal())
                            .findFirst();
            if (running.isEmpty()) {
                return Dispatch.DEFERRED; // it ended meanwhile: post again next time
            }
            return track(running.get(), true, pending, null);
        }
        airbyte.forgetConnection(connectionId);
        if (e.status() == 404) {
            return refuse(pending, FailureReason.CONNECTION_NOT_FOUND, e.getMessage());
        }
        if (e.status() == 409) {
            Optional<AirbyteConnection> now = airbyte.connection(connectionId);
            if (now.isEmpty() || !now.get().isActive()) {
                return refuse(pending, FailureReason.CONNECTION_INACTIVE, e.getMessage());
            }
            return Dispatch.DEFERRED;
        }
        List<SyncRequestEntity> sameType =
                pending.stream().filter(r -> r.jobType.equals(jobType)).toList();
        return refuse(sameType, FailureReason.REJECTED, e.getMessage());
    }

    /**
     * Starts tracking a job and assigns the requests it serves: those of its type made before it
     * was created, or all those pending before {@code ourAttempt} (our own POST created it).
     */
    private Dispatch track(
            AirbyteJob job, boolean attached, List<SyncRequestEntity> pending, Instant ourAttempt) {
        if (jobs.tracks(job.jobId())) {
            Optional<JobEntity> existing = jobs.lock(job.jobId());
            if (existing.isEmpty()) {
                return Dispatch.BUSY;
            }
            return existing.get().isTerminal()
                    ? Dispatch.DEFERRED
                    : attachEligible(existing.get(), pending, ourAttempt);
        }
        Instant now = Instant.now();
        JobEntity e = new JobEntity();
        e.jobId = job.jobId();
        e.connectionId =
                job.connectionId() != null ? job.connectionId() : pending.get(0).connectionId;
        e.jobType = job.jobType();
        e.attached = attached;
        e.airbyteStatus = job.status();
        e.createdAt = job.createdAt() != null ? job.createdAt() : now;
        e.trackedAt = now;
        e.deadlineAt = e.createdAt.plus(deadline(e.connectionId));
        e.nextCheckAt = now.plus(config.poll().minInterval());
        e.lastProgressLogAt = now;
        e.rowsSynced = job.rowsSynced();
        e.bytesSynced = job.bytesSynced();
        e.phase = JobEntity.ACTIVE;
        jobs.persist(e);
        jobs.flush();
        Dispatch result = attachEligible(e, pending, ourAttempt);
        if (attached) {
            LOG.infof(
                    "connection %s: Airbyte job %d (%s, created %s) was already running",
                    e.connectionId, e.jobId, e.airbyteStatus, e.createdAt);
        }
        return result;
    }

    /**
     * Assigns the eligible requests to a job that is new in this transaction or locked by it, and
     * stores their {@code sync.started}.
     */
    private Dispatch attachEligible(
            JobEntity job, List<SyncRequestEntity> pending, Instant ourAttempt) {
        Instant now = Instant.now();
        List<SyncRequestEntity> group = new ArrayList<>();
        for (SyncRequestEntity r : pending) {
            boolean sameType = r.jobType.equals(job.jobType);
            boolean before =
                    r.requestedAt.isBefore(job.createdAt)
                            || (ourAttempt != null && !r.receivedAt.isAfter(ourAttempt));
            if (sameType && before) {
                r.status = "assigned";
                r.jobId = job.jobId;
                r.attached = job.attached || ourAttempt == null;
                r.assignedAt = now;
                if (job.correlationId == null) {
                    job.correlationId = r.correlationId;
                }
                group.add(r);
            }
        }
        int served = group.size();
        if (served == 0) {
            LOG.debugf(
                    "connection %s: %d request(s) wait for the follow-up of job %d",
                    job.connectionId, pending.size(), job.jobId);
            return Dispatch.WAITING;
        }
        if (served < pending.size()) {
            LOG.infof(
                    "connection %s: %d request(s) served by job %d, %d wait for its follow-up",
                    job.connectionId, served, job.jobId, pending.size() - served);
        }
        events.started(job, group);
        return ourAttempt != null && !job.attached ? Dispatch.STARTED : Dispatch.ATTACHED;
    }

    private Dispatch refuse(List<SyncRequestEntity> refused, FailureReason reason, String message) {
        Instant now = Instant.now();
        for (SyncRequestEntity r : refused) {
            r.status = "refused";
            r.assignedAt = now;
            r.refusalReason = reason.wire();
            r.refusalMessage = truncate(message, 1000);
            events.refused(r);
        }
        LOG.infof("%d request(s) refused: %s (%s)", refused.size(), reason.wire(), message);
        return Dispatch.REFUSED;
    }

    // ---------------------------------------------------------------- watching jobs

    /**
     * Looks at one job now ({@code GET /jobs/{id}}), under its row lock; a job another worker holds
     * is skipped. {@code hintMessage}: Airbyte's failure text from its webhook, if any.
     *
     * @return true when the job has ended (its ending is stored)
     */
    public boolean check(long jobId, String detectedBy, String hintMessage) {
        try {
            return QuarkusTransaction.requiringNew()
                    .timeout(timeoutSeconds())
                    .call(
                            () -> {
                                Optional<JobEntity> locked = jobs.lock(jobId);
                                if (locked.isEmpty() || locked.get().isTerminal()) {
                                    return false;
                                }
                                JobEntity job = locked.get();
                                if (hintMessage != null) {
                                    job.hintMessage = truncate(hintMessage, 2000);
                                }
                                return apply(job, airbyte.job(jobId), detectedBy);
                            });
        } catch (AirbyteUnavailableException e) {
            LOG.debugf("job %d: Airbyte unavailable (%s), checked later", jobId, e.getMessage());
            return false;
        } catch (AirbyteApiException e) {
            LOG.warnf("job %d: Airbyte answered %s; checked again later", jobId, e.getMessage());
            QuarkusTransaction.requiringNew().run(() -> reschedule(jobId));
            return false;
        }
    }

    /** Keeps Airbyte's failure text (from its webhook) for the job's failed ending. */
    public void noteFailureMessage(long jobId, String message) {
        QuarkusTransaction.requiringNew()
                .run(
                        () ->
                                jobs.update(
                                        "hintMessage = ?1 where jobId = ?2 and phase = 'active'",
                                        truncate(message, 2000),
                                        jobId));
    }

    /** A job seen in a list answer (final): the answer is Airbyte's, no need to ask again. */
    public boolean observed(AirbyteJob seen, String detectedBy) {
        try {
            return QuarkusTransaction.requiringNew()
                    .timeout(timeoutSeconds())
                    .call(
                            () -> {
                                Optional<JobEntity> locked = jobs.lock(seen.jobId());
                                if (locked.isEmpty() || locked.get().isTerminal()) {
                                    return false;
                                }
                                return apply(locked.get(), seen, detectedBy);
                            });
        } catch (AirbyteUnavailableException e) {
            return false;
        }
    }

    private void reschedule(long jobId) {
        JobEntity job = jobs.findById(jobId);
        if (job != null && !job.isTerminal()) {
            job.nextCheckAt = Instant.now().plus(config.poll().maxInterval());
        }
    }

    private boolean apply(JobEntity job, AirbyteJob seen, String detectedBy) {
        Instant now = Instant.now();
        job.lastCheckedAt = now;
        if (seen.rowsSynced() != null) {
            job.rowsSynced = seen.rowsSynced();
        }
        if (seen.bytesSynced() != null) {
            job.bytesSynced = seen.bytesSynced();
        }
        if (seen.isTerminal()) {
            if (awaitingFailureMessage(job, seen, detectedBy, now)) {
                job.nextCheckAt = now.plusSeconds(1);
                return false;
            }
            job.airbyteStatus = seen.status();
            end(job, seen, detectedBy, now);
            return true;
        }
        progress(job, seen, now);
        ConnectionPolicyEntity policy = policies.findById(job.connectionId);
        job.deadlineAt = job.createdAt.plus(deadline(policy));
        if (!now.isBefore(job.deadlineAt)) {
            // Confirmed running just now (seen is fresh); DELETE cancels the connection's current
            // job, which is this one, as Airbyte runs one job per connection.
            return cancelForDeadline(job, now);
        }
        Duration age = Duration.between(job.createdAt, now);
        Instant next = now.plus(schedule().next(age, ThreadLocalRandom.current()));
        job.nextCheckAt = next.isAfter(job.deadlineAt) ? job.deadlineAt : next;
        return false;
    }

    /**
     * Airbyte's public API does not say why a job failed; its webhook does. A failure seen by
     * polling first waits up to {@code poll.hint-grace} after the job's end for that message, when
     * webhooks are configured, so the ending carries Airbyte's reason rather than "failed".
     */
    private boolean awaitingFailureMessage(
            JobEntity job, AirbyteJob seen, String detectedBy, Instant now) {
        if (!"failed".equals(seen.status())
                || job.hintMessage != null
                || "hint".equals(detectedBy)
                || config.notificationSecret().isEmpty()
                || seen.lastUpdatedAt() == null) {
            return false;
        }
        return now.isBefore(seen.lastUpdatedAt().plus(config.poll().hintGrace()));
    }

    private void progress(JobEntity job, AirbyteJob seen, Instant now) {
        if (!Objects.equals(job.airbyteStatus, seen.status())) {
            if (seen.isKnownStatus()) {
                LOG.infof(
                        "job %d (connection %s): %s → %s, %s rows so far",
                        job.jobId,
                        job.connectionId,
                        job.airbyteStatus,
                        seen.status(),
                        job.rowsSynced);
            } else {
                // Logged once: the next checks see the same status and stay quiet.
                LOG.warnf(
                        "job %d (connection %s): unknown Airbyte status '%s', treated as running",
                        job.jobId, job.connectionId, seen.status());
            }
            job.airbyteStatus = seen.status();
            job.lastProgressLogAt = now;
        } else if (job.lastProgressLogAt == null
                || !now.isBefore(job.lastProgressLogAt.plus(config.poll().progressLogInterval()))) {
            LOG.infof(
                    "job %d (connection %s) still %s after %s, %s rows so far",
                    job.jobId,
                    job.connectionId,
                    job.airbyteStatus,
                    Duration.between(job.createdAt, now).truncatedTo(ChronoUnit.SECONDS),
                    job.rowsSynced);
            job.lastProgressLogAt = now;
        }
    }

    private boolean cancelForDeadline(JobEntity job, Instant now) {
        try {
            AirbyteJob cancelled = airbyte.cancel(job.jobId);
            LOG.warnf(
                    "job %d (connection %s) passed its deadline %s: cancelled (%s)",
                    job.jobId, job.connectionId, job.deadlineAt, cancelled.status());
        } catch (AirbyteApiException e) {
            // 409 "not running": it ended between our look and the cancel; look again soon.
            LOG.infof("job %d: cancel refused (%s), looking again", job.jobId, e.getMessage());
            job.nextCheckAt = now;
            return false;
        }
        job.cancelRequestedAt = now;
        Ending ending = Ending.timedOut();
        job.airbyteStatus = "cancelled";
        store(job, ending, now, "deadline", now);
        return true;
    }

    private void end(JobEntity job, AirbyteJob seen, String detectedBy, Instant now) {
        ConnectionPolicyEntity policy = policies.findById(job.connectionId);
        Ending ending =
                Ending.of(
                        seen,
                        policy == null ? null : policy.minRecords,
                        job.cancelledForDeadline(),
                        job.hintMessage);
        Instant finishedAt = seen.lastUpdatedAt() != null ? seen.lastUpdatedAt() : now;
        store(job, ending, finishedAt, detectedBy, now);
        LOG.infof(
                "job %d (connection %s) ended %s: %s%s, %s rows, noticed by %s",
                job.jobId,
                job.connectionId,
                seen.status(),
                ending.status().wire(),
                ending.reason() == null ? "" : " (" + ending.reason().wire() + ")",
                job.rowsSynced,
                detectedBy);
    }

    private void store(
            JobEntity job, Ending ending, Instant finishedAt, String detectedBy, Instant now) {
        job.endingStatus = ending.status().wire();
        job.endingReason = ending.reason() == null ? null : ending.reason().wire();
        job.endingMessage = truncate(ending.message(), 2000);
        job.finishedAt = finishedAt;
        job.detectedAt = now;
        job.detectedBy = detectedBy;
        job.phase = JobEntity.ENDED;
        // Under the job's row lock, so no request attaches meanwhile. A job that served no request
        // (someone else's, ended before any request qualified) has nothing to announce.
        List<SyncRequestEntity> served = requests.servedBy(job.jobId);
        if (!served.isEmpty()) {
            events.ended(job, served);
        }
    }

    // ---------------------------------------------------------------- an operator's cancel

    /** What an operator's cancel found or did. */
    public enum CancelRequest {
        /** The monitor does not track that job. */
        UNKNOWN,
        /** The job has ended (or Airbyte says it just did: its ending is stored now). */
        ENDED,
        /** An operator's cancel was already sent; its ending has not arrived yet. */
        PENDING,
        /** Sent now: Airbyte cancels the job, and its ending arrives as {@code sync.cancelled}. */
        REQUESTED
    }

    /**
     * Cancels a running job for an operator ({@code POST /api/jobs/{id}/cancel}), under its row
     * lock. {@code DELETE /jobs/{id}} cancels the connection's <em>current</em> job whatever the
     * id, so the job is first confirmed running with {@code GET /jobs/{id}}. The job row records
     * who asked, so that Airbyte's {@code cancelled} ends it {@code sync.cancelled} (not timed
     * out); the ending itself comes through the normal checks. A second call while the cancel is
     * pending sends nothing.
     *
     * @throws AirbyteUnavailableException Airbyte could not be asked (nothing is recorded)
     * @throws AirbyteApiException Airbyte refused the look-up or the cancel
     */
    public CancelRequest cancel(long jobId, String requestedBy) {
        return QuarkusTransaction.requiringNew()
                .timeout(timeoutSeconds())
                .call(() -> cancelLocked(jobId, requestedBy));
    }

    private CancelRequest cancelLocked(long jobId, String requestedBy) {
        JobEntity job = jobs.lockWaiting(jobId);
        if (job == null) {
            return CancelRequest.UNKNOWN;
        }
        if (job.isTerminal()) {
            return CancelRequest.ENDED;
        }
        if (job.cancelRequestedBy != null) {
            return CancelRequest.PENDING;
        }
        // The confirmation: a job that ended meanwhile gets its ending stored now (and one past
        // its deadline is cancelled as such); only a job still running is cancelled below.
        if (apply(job, airbyte.job(jobId), "poll")) {
            return CancelRequest.ENDED;
        }
        Instant now = Instant.now();
        try {
            AirbyteJob answer = airbyte.cancel(jobId);
            LOG.infof(
                    "job %d (connection %s): cancelled by %s (%s)",
                    jobId, job.connectionId, requestedBy, answer.status());
        } catch (AirbyteApiException e) {
            if (e.status() != 409) {
                throw e;
            }
            // "Not running": it ended between the look and the cancel; the next check says how.
            LOG.infof("job %d: cancel refused (%s), it has ended", jobId, e.getMessage());
            job.nextCheckAt = now;
            return CancelRequest.ENDED;
        }
        job.cancelRequestedAt = now;
        job.cancelRequestedBy = truncate(requestedBy, 100);
        job.nextCheckAt = now;
        return CancelRequest.REQUESTED;
    }

    // ---------------------------------------------------------------- helpers

    private PollSchedule schedule() {
        MonitorConfig.Poll poll = config.poll();
        return new PollSchedule(poll.minInterval(), poll.maxInterval(), poll.ageDivisor());
    }

    private Duration deadline(String connectionId) {
        return deadline(policies.findById(connectionId));
    }

    private Duration deadline(ConnectionPolicyEntity policy) {
        return policy != null && policy.deadlineSeconds != null
                ? Duration.ofSeconds(policy.deadlineSeconds)
                : config.defaultDeadline();
    }

    private int timeoutSeconds() {
        // Long enough for one Airbyte call with all its retries.
        return (int) config.airbyte().retry().maxDuration().multipliedBy(3).toSeconds() + 30;
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
