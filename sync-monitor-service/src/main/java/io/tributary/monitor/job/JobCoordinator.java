package io.tributary.monitor.job;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.events.FailureReason;
import io.tributary.events.StreamStats;
import io.tributary.monitor.airbyte.AirbyteApiException;
import io.tributary.monitor.airbyte.AirbyteClient;
import io.tributary.monitor.airbyte.AirbyteConnection;
import io.tributary.monitor.airbyte.AirbyteJob;
import io.tributary.monitor.airbyte.AirbyteUnavailableException;
import io.tributary.monitor.config.MonitorConfig;
import io.tributary.monitor.messaging.SyncEventPublisher;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Owns the lifecycle of requests and jobs: the only writer of their state after a request is
 * stored. Two operations, each in its own transaction and each safe to run on several replicas:
 *
 * <ul>
 *   <li>{@link #dispatch(List)} serves the pending requests of a batch of connections, each under
 *       its advisory lock: attach them to the running job if it was created after they were made,
 *       else start one job (or wait for the running one to end, then start exactly one follow-up).
 *   <li>{@link #check(long, String, String)} and {@link #observed(Collection, Set)} look at jobs
 *       under their row locks ({@code for update skip locked}): record progress, enforce the
 *       deadline, and when Airbyte says a job ended, store its ending.
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

    /** Sends the {@code POST /jobs} of dispatches, so that a batch's starts go out together. */
    private ExecutorService starts;

    @PostConstruct
    void start() {
        starts =
                Executors.newFixedThreadPool(
                        Math.max(1, config.poll().startConcurrency()), Workers.threads("start"));
    }

    @PreDestroy
    void stop() {
        starts.shutdownNow();
    }

    /** What a dispatch did for a connection, for the logs. */
    public enum Dispatch {
        NOTHING,
        BUSY,
        STARTED,
        ATTACHED,
        WAITING,
        REFUSED,
        /** Airbyte could not be asked (or its job ended meanwhile): the requests wait. */
        DEFERRED,
        /** The start's answer is lost: its attempt stays, the next dispatch looks it up first. */
        UNCERTAIN,
        /** Not reached within the dispatch's time budget: for another dispatch at once. */
        LEFT
    }

    // ---------------------------------------------------------------- requests → jobs

    /**
     * What one dispatch did, what it read once for all its connections, and the {@code
     * sync.started} groups it stores at its end.
     */
    private static final class Batch {
        final Map<String, Dispatch> done = new LinkedHashMap<>();
        final List<Map.Entry<JobEntity, List<SyncRequestEntity>>> groups = new ArrayList<>();

        /** The policies of the connections being served (null: none). */
        final Map<String, ConnectionPolicyEntity> policies = new HashMap<>();

        /** Jobs our POSTs created that the monitor tracks already (none, unless Airbyte errs). */
        Set<Long> tracked = Set.of();

        /** Where the time went, for the debug log. */
        final Map<String, Long> phases = new LinkedHashMap<>();

        private long last = System.nanoTime();

        void phase(String name) {
            long now = System.nanoTime();
            phases.merge(name, (now - last) / 1_000_000, Long::sum);
            last = now;
        }
    }

    /**
     * Serves the pending requests of these connections in one transaction, under their advisory
     * locks (a connection another worker or replica holds is left alone: {@code BUSY}). Those with
     * a running job, an uncertain start or a refusal are served one by one; the others start
     * together: their attempts are committed first, their {@code POST /jobs} are sent at once, and
     * the jobs are tracked with their {@code sync.started} stored in this transaction. Never throws
     * for Airbyte trouble.
     *
     * @return what was done per connection (for logs): {@code LEFT} ones were not reached within
     *     the transaction's budget and are for another dispatch
     */
    public Map<String, Dispatch> dispatch(List<String> connectionIds) {
        Batch batch = new Batch();
        QuarkusTransaction.requiringNew()
                .timeout(timeoutSeconds())
                .run(() -> dispatchLocked(connectionIds, batch));
        batch.phase("commit");
        LOG.debugf("dispatch phases (ms): %s", batch.phases);
        return batch.done;
    }

    private void dispatchLocked(List<String> connectionIds, Batch batch) {
        Set<String> locked = state.tryLockConnections(connectionIds);
        Map<String, List<SyncRequestEntity>> pending = requests.pending(locked);
        for (String c : connectionIds) {
            batch.done.put(
                    c,
                    !locked.contains(c)
                            ? Dispatch.BUSY
                            : pending.containsKey(c) ? Dispatch.LEFT : Dispatch.NOTHING);
        }
        if (pending.isEmpty()) {
            return;
        }
        Map<String, Long> active = jobs.activeFor(pending.keySet());
        Map<String, Instant> attempts = state.postAttemptsAt(pending.keySet());
        pending.keySet().forEach(c -> batch.policies.put(c, null));
        policies.forConnections(pending.keySet())
                .forEach(p -> batch.policies.put(p.connectionId, p));
        batch.phase("read");
        // One Airbyte call with its retries may overrun this; then the rest is left for later.
        long budgetEnd = System.nanoTime() + config.airbyte().retry().maxDuration().toNanos();
        List<String> toStart = new ArrayList<>();
        for (Map.Entry<String, List<SyncRequestEntity>> e : pending.entrySet()) {
            if (System.nanoTime() > budgetEnd) {
                break;
            }
            String conn = e.getKey();
            try {
                Dispatch d = serve(conn, e.getValue(), active.get(conn), attempts.get(conn), batch);
                if (d == null) {
                    toStart.add(conn);
                } else {
                    batch.done.put(conn, d);
                }
            } catch (AirbyteUnavailableException | AirbyteApiException ex) {
                LOG.debugf("connection %s: Airbyte trouble (%s), requests wait", conn, ex);
                batch.done.put(conn, Dispatch.DEFERRED);
            }
        }
        batch.phase("serve");
        if (!toStart.isEmpty()) {
            startJobs(toStart, pending, batch);
        }
        // Last, so that every row above is flushed at once, before the first outbox insert.
        batch.groups.forEach(g -> events.started(g.getKey(), g.getValue()));
        batch.phase("events");
    }

    /**
     * Serves one connection without starting a job: refuses its requests (unknown or inactive
     * connection), attaches them to the running job, or adopts the job an uncertain start made.
     *
     * @return null when a job is to be started for them
     */
    private Dispatch serve(
            String connectionId,
            List<SyncRequestEntity> pending,
            Long activeJobId,
            Instant attempted,
            Batch batch) {
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
        if (activeJobId != null) {
            // Under the job's row lock, as its ending is stored: a request attached now is in it.
            Optional<JobEntity> job = jobs.lock(activeJobId);
            if (job.isEmpty()) {
                return Dispatch.BUSY; // a check holds it: the requests wait for the next tick
            }
            if (job.get().isTerminal()) {
                return Dispatch.DEFERRED; // it ended meanwhile: served by the next dispatch
            }
            return attachEligible(job.get(), pending, null, batch);
        }
        if (attempted != null) {
            // An earlier POST /jobs got no answer: never post blindly again, look first.
            return adoptAfterUncertainPost(connectionId, pending, attempted, batch).orElse(null);
        }
        return null;
    }

    private Optional<Dispatch> adoptAfterUncertainPost(
            String connectionId,
            List<SyncRequestEntity> pending,
            Instant attemptedAt,
            Batch batch) {
        List<AirbyteJob> newest = airbyte.newestJobs(connectionId, NEWEST);
        Instant since = attemptedAt.truncatedTo(ChronoUnit.SECONDS);
        for (AirbyteJob job : newest) {
            if (job.createdAt() != null && !job.createdAt().isBefore(since)) {
                LOG.infof(
                        "connection %s: job %d was created by the POST whose answer was lost",
                        connectionId, job.jobId());
                state.clearPostAttempt(connectionId);
                return Optional.of(track(job, false, pending, attemptedAt, batch));
            }
        }
        Optional<AirbyteJob> running = newest.stream().filter(j -> !j.isTerminal()).findFirst();
        if (running.isEmpty()) {
            // No job came of it. The attempt stays until startJobs records its own in a
            // transaction of its own: clearing the row here would lock it against that write.
            return Optional.empty();
        }
        state.clearPostAttempt(connectionId);
        return Optional.of(track(running.get(), true, pending, null, batch));
    }

    /**
     * Starts one job for each connection: the attempts are committed first, then every {@code POST
     * /jobs} is sent at once (at most {@code poll.start-concurrency} in flight), then each answer
     * is applied. A start whose answer is lost keeps its attempt: the next dispatch looks the job
     * up instead of posting again.
     */
    private void startJobs(
            List<String> connectionIds, Map<String, List<SyncRequestEntity>> pending, Batch batch) {
        Instant attempt = Instant.now();
        // Committed before the calls: if an answer is lost (timeout, crash), the next dispatch
        // lists the connection's jobs instead of starting a duplicate. This transaction has not
        // written these rows (see adoptAfterUncertainPost), so the write never waits on it.
        QuarkusTransaction.requiringNew()
                .run(() -> state.setPostAttemptsAt(connectionIds, attempt));
        batch.phase("attempts");
        Map<String, Future<AirbyteJob>> posts = new LinkedHashMap<>();
        for (String c : connectionIds) {
            String jobType = pending.get(c).get(0).jobType;
            posts.put(c, starts.submit(() -> airbyte.createJob(c, jobType)));
        }
        List<Long> created = createdJobIds(posts.values());
        batch.phase("posts");
        batch.tracked = jobs.tracked(created);
        List<String> settled = new ArrayList<>();
        for (Map.Entry<String, Future<AirbyteJob>> post : posts.entrySet()) {
            String c = post.getKey();
            Dispatch d = started(c, pending.get(c), post.getValue(), attempt, batch);
            batch.done.put(c, d);
            if (d != Dispatch.UNCERTAIN) {
                settled.add(c);
            }
        }
        batch.phase("track");
        state.clearPostAttempts(settled);
        batch.phase("flush");
    }

    /** The ids of the jobs these calls created (waiting for each answer). */
    private static List<Long> createdJobIds(Collection<Future<AirbyteJob>> posts) {
        List<Long> ids = new ArrayList<>();
        for (Future<AirbyteJob> post : posts) {
            try {
                ids.add(post.get().jobId());
            } catch (ExecutionException e) {
                // no job: handled with its answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ids;
            }
        }
        return ids;
    }

    /** Applies the answer to one {@code POST /jobs}. */
    private Dispatch started(
            String connectionId,
            List<SyncRequestEntity> pending,
            Future<AirbyteJob> post,
            Instant attempt,
            Batch batch) {
        String jobType = pending.get(0).jobType;
        try {
            AirbyteJob job = post.get();
            LOG.infof(
                    "connection %s: started Airbyte %s job %d for %d request(s)",
                    connectionId, jobType, job.jobId(), pending.size());
            return track(job, false, pending, attempt, batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Dispatch.UNCERTAIN;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AirbyteApiException refusal) {
                try {
                    return refused(connectionId, pending, jobType, refusal, batch);
                } catch (AirbyteUnavailableException | AirbyteApiException lookFailed) {
                    return Dispatch.UNCERTAIN; // looked up again next time
                }
            }
            if (e.getCause() instanceof AirbyteUnavailableException u && !u.sent()) {
                // Our rate limit, the open breaker, no token: nothing reached Airbyte.
                LOG.debugf("connection %s: job start not sent (%s)", connectionId, u.getMessage());
                return Dispatch.DEFERRED;
            }
            // The answer is lost: the attempt stays, the next dispatch looks first.
            LOG.debugf("connection %s: job start unanswered (%s)", connectionId, e.getCause());
            return Dispatch.UNCERTAIN;
        }
    }

    private Dispatch refused(
            String connectionId,
            List<SyncRequestEntity> pending,
            String jobType,
            AirbyteApiException e,
            Batch batch) {
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
            return track(running.get(), true, pending, null, batch);
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
            AirbyteJob job,
            boolean attached,
            List<SyncRequestEntity> pending,
            Instant ourAttempt,
            Batch batch) {
        boolean known =
                ourAttempt != null && !attached
                        ? batch.tracked.contains(job.jobId())
                        : jobs.tracks(job.jobId());
        if (known) {
            Optional<JobEntity> existing = jobs.lock(job.jobId());
            if (existing.isEmpty()) {
                return Dispatch.BUSY;
            }
            return existing.get().isTerminal()
                    ? Dispatch.DEFERRED
                    : attachEligible(existing.get(), pending, ourAttempt, batch);
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
        e.deadlineAt = e.createdAt.plus(deadline(batch.policies.get(e.connectionId)));
        e.nextCheckAt = now.plus(config.poll().minInterval());
        e.lastProgressLogAt = now;
        e.rowsSynced = job.rowsSynced();
        e.bytesSynced = job.bytesSynced();
        e.phase = JobEntity.ACTIVE;
        jobs.persist(e);
        Dispatch result = attachEligible(e, pending, ourAttempt, batch);
        if (attached) {
            LOG.infof(
                    "connection %s: Airbyte job %d (%s, created %s) was already running",
                    e.connectionId, e.jobId, e.airbyteStatus, e.createdAt);
        }
        return result;
    }

    /**
     * Assigns the eligible requests to a job that is new in this transaction or locked by it; their
     * {@code sync.started} is stored at the end of the dispatch, in this transaction.
     */
    private Dispatch attachEligible(
            JobEntity job, List<SyncRequestEntity> pending, Instant ourAttempt, Batch batch) {
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
        batch.groups.add(Map.entry(job, group));
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
                                Endings endings = new Endings();
                                boolean ended = apply(job, airbyte.job(jobId), detectedBy, endings);
                                endings.store();
                                return ended;
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

    /**
     * Jobs seen final in a list answer: the answer is Airbyte's, no need to ask again. Their
     * endings are stored in one transaction, under their row locks (a job another worker holds is
     * skipped: that worker looks at it). Jobs we do not track are ignored.
     *
     * @param hinted jobs Airbyte's webhook said ended: noticed by the hint, not the list
     * @return the jobs whose ending was stored, with their connection
     */
    public Map<Long, String> observed(Collection<AirbyteJob> seen, Set<Long> hinted) {
        Map<Long, AirbyteJob> byId = new HashMap<>();
        seen.forEach(j -> byId.put(j.jobId(), j));
        return QuarkusTransaction.requiringNew()
                .timeout(timeoutSeconds())
                .call(
                        () -> {
                            List<JobEntity> locked = jobs.lockActive(byId.keySet());
                            Endings endings = new Endings(locked);
                            Map<Long, String> ended = new LinkedHashMap<>();
                            for (JobEntity job : locked) {
                                String by = hinted.contains(job.jobId) ? "hint" : "list";
                                if (apply(job, byId.get(job.jobId), by, endings)) {
                                    ended.put(job.jobId, job.connectionId);
                                }
                            }
                            endings.store();
                            return ended;
                        });
    }

    private void reschedule(long jobId) {
        JobEntity job = jobs.findById(jobId);
        if (job != null && !job.isTerminal()) {
            job.nextCheckAt = Instant.now().plus(config.poll().maxInterval());
        }
    }

    /**
     * The endings decided in one transaction and what deciding them needs (the connections'
     * policies, the requests each job served), read once for all of them; the endings' events are
     * stored last ({@link #store}), so that every row changed before is flushed at once.
     */
    private final class Endings {
        private final Map<String, ConnectionPolicyEntity> policies = new HashMap<>();
        private final Map<Long, List<SyncRequestEntity>> served = new HashMap<>();
        private final List<JobEntity> ended = new ArrayList<>();

        /** For one job: what it needs is read when needed. */
        Endings() {}

        /** For these jobs, locked by this transaction: what they need is read now. */
        Endings(List<JobEntity> locked) {
            if (locked.isEmpty()) {
                return;
            }
            Set<String> connections = new HashSet<>();
            locked.forEach(j -> connections.add(j.connectionId));
            connections.forEach(c -> policies.put(c, null));
            PolicyRepository repository = JobCoordinator.this.policies;
            repository.forConnections(connections).forEach(p -> policies.put(p.connectionId, p));
            locked.forEach(j -> served.put(j.jobId, new ArrayList<>()));
            requests.servedBy(served.keySet()).forEach(r -> served.get(r.jobId).add(r));
        }

        ConnectionPolicyEntity policy(String connectionId) {
            if (!policies.containsKey(connectionId)) {
                policies.put(connectionId, JobCoordinator.this.policies.findById(connectionId));
            }
            return policies.get(connectionId);
        }

        void add(JobEntity job) {
            ended.add(job);
        }

        /**
         * Stores the endings' events. Under the jobs' row locks, so no request attached since the
         * requests were read. A job that served no request (someone else's, ended before any
         * request qualified) has nothing to announce.
         */
        void store() {
            // The stats reads run under the jobs' row locks: one read's bound for them all, so
            // a slow Configuration API cannot stretch a batch of endings towards its transaction
            // timeout. Endings past it go without streams[] (a changed-only dbt run then falls
            // back to its full selection).
            Instant statsUntil = Instant.now().plus(config.airbyte().streamStatsTimeout());
            for (JobEntity job : ended) {
                List<SyncRequestEntity> by =
                        served.containsKey(job.jobId)
                                ? served.get(job.jobId)
                                : requests.servedBy(job.jobId);
                if (!by.isEmpty()) {
                    List<StreamStats> streams =
                            Instant.now().isBefore(statsUntil)
                                    ? airbyte.streamStats(job.jobId).orElse(null)
                                    : null;
                    events.ended(job, by, streams);
                }
            }
        }
    }

    private boolean apply(JobEntity job, AirbyteJob seen, String detectedBy, Endings endings) {
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
            end(job, seen, detectedBy, now, endings);
            return true;
        }
        progress(job, seen, now);
        job.deadlineAt = job.createdAt.plus(deadline(endings.policy(job.connectionId)));
        if (!now.isBefore(job.deadlineAt)) {
            // Confirmed running just now (seen is fresh); DELETE cancels the connection's current
            // job, which is this one, as Airbyte runs one job per connection.
            return cancelForDeadline(job, now, endings);
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

    private boolean cancelForDeadline(JobEntity job, Instant now, Endings endings) {
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
        store(job, ending, now, "deadline", now, endings);
        return true;
    }

    private void end(
            JobEntity job, AirbyteJob seen, String detectedBy, Instant now, Endings endings) {
        ConnectionPolicyEntity policy = endings.policy(job.connectionId);
        Ending ending =
                Ending.of(
                        seen,
                        policy == null ? null : policy.minRecords,
                        job.cancelledForDeadline(),
                        job.hintMessage);
        Instant finishedAt = seen.lastUpdatedAt() != null ? seen.lastUpdatedAt() : now;
        store(job, ending, finishedAt, detectedBy, now, endings);
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
            JobEntity job,
            Ending ending,
            Instant finishedAt,
            String detectedBy,
            Instant now,
            Endings endings) {
        job.endingStatus = ending.status().wire();
        job.endingReason = ending.reason() == null ? null : ending.reason().wire();
        job.endingMessage = truncate(ending.message(), 2000);
        job.finishedAt = finishedAt;
        job.detectedAt = now;
        job.detectedBy = detectedBy;
        job.phase = JobEntity.ENDED;
        endings.add(job);
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
        Endings endings = new Endings();
        boolean ended = apply(job, airbyte.job(jobId), "poll", endings);
        endings.store();
        if (ended) {
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
