package io.tributary.monitor.job;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.tributary.monitor.airbyte.AirbyteClient;
import io.tributary.monitor.airbyte.AirbyteJob;
import io.tributary.monitor.airbyte.AirbyteUnavailableException;
import io.tributary.monitor.config.MonitorConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The heartbeat. The list look, {@code GET /jobs?updatedAtStart=<last look>}, finds every job that
 * ended since (a page per hundred jobs that changed, however many are in flight): every {@code
 * list-interval}, and soon after Airbyte webhook hints that the budget of per-job checks cannot
 * take. Each tick hands due jobs to the check workers within that budget (progress, unknown
 * statuses; jobs past their deadline are checked outside it, to be cancelled), and connections with
 * pending requests to the dispatch workers, which serve them by batches. The tick never waits for a
 * check, a dispatch or a look. (Events are published by the outbox relay, which a commit wakes.)
 */
@ApplicationScoped
public class JobPoller {
    private static final Logger LOG = Logger.getLogger(JobPoller.class);

    /** Airbyte's times have whole seconds: look a little before the last look. */
    private static final Duration LIST_OVERLAP = Duration.ofSeconds(2);

    /**
     * Endings stored per transaction when a look finds many; such transactions run side by side
     * (each ending is a few round trips to the database, and the list's lag is theirs).
     */
    private static final int OBSERVED_BATCH = 50;

    private static final int DISPATCH_SCAN = 500;

    /** How often the list thread asks itself whether the regular look is due. */
    private static final Duration REGULAR_LOOK_CHECK = Duration.ofMillis(100);

    @Inject JobCoordinator coordinator;
    @Inject JobRepository jobs;
    @Inject SyncRequestRepository requests;
    @Inject MonitorState state;
    @Inject AirbyteClient airbyte;
    @Inject Workers workers;
    @Inject MonitorConfig config;
    @Inject MeterRegistry registry;

    private final AtomicLong inFlight = new AtomicLong();
    private volatile boolean stopping;

    /** Looks run here, one at a time, never on the tick's thread. */
    private final ScheduledExecutorService lister =
            Executors.newSingleThreadScheduledExecutor(Workers.threads("list"));

    /** Store the endings a look found, side by side. */
    private ExecutorService enders;

    private final AtomicBoolean lookQueued = new AtomicBoolean();

    /** When the last look began (any look: hints wait this plus list-min-spacing). */
    private volatile long lastLookNanos = System.nanoTime() - Duration.ofDays(1).toNanos();

    /** When the last full look began (the regular look follows it by list-interval). */
    private volatile long lastFullLookNanos = lastLookNanos;

    /** Jobs Airbyte's webhook said ended, for the next look to confirm. */
    private final Set<Long> hinted = ConcurrentHashMap.newKeySet();

    /**
     * Connections queued because requests wait on them (not the follow-ups of ended jobs, which
     * mostly have none): those Airbyte is asked about by a burst's connection listing.
     */
    private final Set<String> requested = ConcurrentHashMap.newKeySet();

    /** Per-job checks not spent yet (the budget refills continuously). */
    private double checkTurns;

    private long checkTurnsAt = System.nanoTime();

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        lister.shutdown(); // a look under way ends; no other starts
    }

    @PostConstruct
    void start() {
        Gauge.builder("tributary.monitor.jobs.in.flight", inFlight, AtomicLong::get)
                .description("Airbyte jobs the monitor waits on")
                .register(registry);
        workers.batched(Workers.Lane.DISPATCH, config.poll().dispatchBatch(), this::dispatchBatch);
        enders =
                Executors.newFixedThreadPool(
                        Math.max(1, config.poll().concurrency()), Workers.threads("end"));
        // The regular look, list-interval after the last full one.
        lister.scheduleWithFixedDelay(
                () -> {
                    if (regularLookDue()) {
                        look();
                    }
                },
                0,
                REGULAR_LOOK_CHECK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        lister.shutdownNow();
        enders.shutdownNow();
    }

    @Scheduled(
            identity = "sync-monitor-tick",
            every = "${tributary.monitor.poll.tick}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            // A tick while the application stops would create this bean anew.
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        if (stopping) {
            return;
        }
        try {
            handOut(due());
            workers.reportSlow();
            airbyte.forgetExpiredConnections();
        } catch (RuntimeException e) {
            LOG.warnf(e, "monitor tick failed; the next one carries on");
        }
    }

    /** What a tick hands out, read in one transaction. */
    private record TickWork(
            long inFlight,
            List<JobRepository.Due> pastDeadline,
            List<JobRepository.Due> checks,
            int turns,
            List<String> pending) {}

    /**
     * Reads in one transaction the jobs to check (past their deadline; due, as many as the budget
     * allows) and, when the dispatch queue is short, the connections with requests waiting: those
     * whose wake-up came to nothing (Airbyte was unavailable, a lock was held, a restart).
     */
    private TickWork due() {
        int busy = workers.busy(Workers.Lane.CHECK);
        int concurrency = config.poll().concurrency();
        int turns = takeCheckTurns();
        boolean scan = workers.waiting(Workers.Lane.DISPATCH) < config.poll().dispatchBatch();
        Instant now = Instant.now();
        return QuarkusTransaction.requiringNew()
                .call(
                        () -> {
                            long active = jobs.inFlight();
                            return new TickWork(
                                    active,
                                    active == 0
                                            ? List.of()
                                            : jobs.pastDeadline(now, concurrency + busy),
                                    active == 0 || turns == 0
                                            ? List.of()
                                            : jobs.due(now, turns + busy),
                                    turns,
                                    scan
                                            ? requests.connectionsWithPending(DISPATCH_SCAN)
                                            : List.of());
                        });
    }

    /**
     * Hands due jobs to the check workers: those past their deadline (to be cancelled) whatever the
     * budget, the others while the budget of per-job checks lasts; and waiting connections to the
     * dispatch workers.
     */
    private void handOut(TickWork due) {
        inFlight.set(due.inFlight());
        due.pastDeadline().forEach(d -> check(d.jobId()));
        int handed = 0;
        for (JobRepository.Due d : due.checks()) {
            if (handed == due.turns()) {
                break;
            }
            if (!d.pastDeadline() && check(d.jobId())) {
                handed++;
            }
        }
        returnCheckTurns(due.turns() - handed);
        if (!due.pending().isEmpty()) {
            // Those being dispatched are seen to by their dispatch (or their wake-up).
            requested.addAll(due.pending());
            workers.submitIfIdle(Workers.Lane.DISPATCH, due.pending());
        }
    }

    // ---------------------------------------------------------------- the list look

    /**
     * Airbyte's webhook says this job ended. While the budget of per-job checks has a turn left,
     * the job is checked at once ({@code GET /jobs/{id}}, the quickest answer); past it (a burst of
     * endings), a look soon confirms them all, and a check follows for any it does not show.
     */
    public void hinted(long jobId) {
        if (takeCheckTurn()) {
            checkSoon(jobId, "hint");
            return;
        }
        hinted.add(jobId);
        lookSoon();
    }

    /** A look at once, or as soon as the last one is {@code list-min-spacing} old. */
    void lookSoon() {
        if (stopping || !lookQueued.compareAndSet(false, true)) {
            return;
        }
        long wait = lastLookNanos + config.poll().listMinSpacing().toNanos() - System.nanoTime();
        try {
            lister.schedule(
                    () -> {
                        lookQueued.set(false);
                        look();
                    },
                    Math.max(0, wait),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            lookQueued.set(false); // shutting down
        }
    }

    private boolean regularLookDue() {
        return System.nanoTime() - lastFullLookNanos >= config.poll().listInterval().toNanos();
    }

    /**
     * A full look when the regular one is due, else a look for the hinted jobs only: newest first,
     * a page until all of them are seen, which does not move the last look forward.
     */
    private void look() {
        if (stopping) {
            return;
        }
        boolean full = regularLookDue();
        lastLookNanos = System.nanoTime();
        if (full) {
            lastFullLookNanos = lastLookNanos;
        }
        Set<Long> hints = new HashSet<>(hinted);
        hinted.removeAll(hints);
        Set<Long> ended = Set.of();
        try {
            ended = listEnded(hints, full);
        } catch (RuntimeException e) {
            LOG.warnf(e, "job list look failed; the next one carries on");
        }
        // A hinted job we track that the look did not show ended (not listed yet, or the look
        // failed): ask Airbyte about it.
        Set<Long> left = new HashSet<>(hints);
        left.removeAll(ended);
        try {
            if (!left.isEmpty()) {
                QuarkusTransaction.requiringNew()
                        .call(() -> jobs.active(left))
                        .forEach(jobId -> checkSoon(jobId, "hint"));
            }
        } catch (RuntimeException e) {
            // Never out of the list thread: its regular look would stop.
            LOG.warnf(e, "hinted jobs not checked; the list finds them");
        }
    }

    /**
     * One list call (a page per hundred jobs that changed) finds every job that ended since the
     * last look; their endings are stored by batches. A look for hints only reads, newest first,
     * the pages that show every hinted job.
     *
     * @return the jobs whose ending was stored
     */
    Set<Long> listEnded(Set<Long> hints, boolean full) {
        Instant now = Instant.now();
        // Every active job ended after it was tracked, and endings before the last look were seen.
        Optional<Instant> from =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        jobs.oldestActiveTrackedAt()
                                                .map(
                                                        oldest ->
                                                                state.lastListLook()
                                                                        .filter(oldest::isBefore)
                                                                        .orElse(oldest)));
        if (from.isEmpty()) {
            return Set.of();
        }
        Instant since = from.get().minus(LIST_OVERLAP);
        List<AirbyteJob> listed;
        try {
            listed =
                    full
                            ? airbyte.jobsUpdatedSince(since)
                            : airbyte.newestJobsUpdatedSince(since, read -> showsAll(read, hints));
        } catch (AirbyteUnavailableException e) {
            LOG.debugf("job list look failed: %s", e.getMessage());
            return Set.of();
        }
        Map<Long, AirbyteJob> terminal = new LinkedHashMap<>();
        for (AirbyteJob job : listed) {
            if (job.isTerminal()) {
                terminal.putIfAbsent(job.jobId(), job);
            }
        }
        Instant listedAt = Instant.now();
        // Storing what Airbyte answered is database work only (a job another worker holds is
        // skipped, not waited for), so the look is complete before it is moved forward.
        Map<Long, String> ended = observe(new ArrayList<>(terminal.values()), hints);
        // Requests that waited for these jobs to end are served now (most connections have none).
        List<String> followUps =
                QuarkusTransaction.requiringNew()
                        .call(
                                () -> {
                                    if (full) {
                                        state.setLastListLook(now);
                                    }
                                    return ended.isEmpty()
                                            ? List.<String>of()
                                            : requests.withPending(ended.values());
                                });
        workers.submit(Workers.Lane.DISPATCH, followUps);
        LOG.debugf(
                "%s look since %s: %d listed, %d final, %d endings stored (%d hinted), %d ms"
                        + " (listing %d ms)",
                full ? "list" : "hint",
                since,
                listed.size(),
                terminal.size(),
                ended.size(),
                hints.size(),
                Duration.between(now, Instant.now()).toMillis(),
                Duration.between(now, listedAt).toMillis());
        return ended.keySet();
    }

    private static boolean showsAll(List<AirbyteJob> read, Set<Long> jobIds) {
        Set<Long> missing = new HashSet<>(jobIds);
        read.forEach(j -> missing.remove(j.jobId()));
        return missing.isEmpty();
    }

    /** Stores the endings of these final jobs, by batches side by side; throws if any fails. */
    private Map<Long, String> observe(List<AirbyteJob> terminal, Set<Long> hints) {
        List<Future<Map<Long, String>>> parts = new ArrayList<>();
        for (int i = 0; i < terminal.size(); i += OBSERVED_BATCH) {
            List<AirbyteJob> part =
                    terminal.subList(i, Math.min(terminal.size(), i + OBSERVED_BATCH));
            parts.add(enders.submit(() -> coordinator.observed(part, hints)));
        }
        Map<Long, String> ended = new LinkedHashMap<>();
        for (Future<Map<Long, String>> part : parts) {
            try {
                ended.putAll(part.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while storing endings", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("endings not stored: " + e.getCause(), e);
            }
        }
        return ended;
    }

    // ---------------------------------------------------------------- per-job checks

    private boolean check(long jobId) {
        return workers.runIfIdle(
                Workers.Lane.CHECK, "job " + jobId, () -> check(jobId, "poll", null));
    }

    /** The whole per-job checks the budget allows now (it refills at check-budget a minute). */
    private synchronized int takeCheckTurns() {
        refillCheckTurns();
        int turns = (int) checkTurns;
        checkTurns -= turns;
        return turns;
    }

    /** One turn of the budget of per-job checks, if there is one. */
    private synchronized boolean takeCheckTurn() {
        refillCheckTurns();
        if (checkTurns < 1) {
            return false;
        }
        checkTurns -= 1;
        return true;
    }

    private void refillCheckTurns() {
        long now = System.nanoTime();
        double perNano = config.poll().checkBudget() / (double) Duration.ofMinutes(1).toNanos();
        double cap = Math.max(1, config.poll().checkBudget() / 6.0); // ten seconds' worth
        checkTurns = Math.min(cap, checkTurns + (now - checkTurnsAt) * perNano);
        checkTurnsAt = now;
    }

    private synchronized void returnCheckTurns(int turns) {
        checkTurns += turns;
    }

    /** Checks one job soon (a hint); when it runs already, once more afterwards. Never waits. */
    public void checkSoon(long jobId, String detectedBy) {
        workers.runSoon(Workers.Lane.CHECK, "job " + jobId, () -> check(jobId, detectedBy, null));
    }

    /** Checks one job now; when it ended, has its connection served. */
    void check(long jobId, String detectedBy, String hintMessage) {
        if (coordinator.check(jobId, detectedBy, hintMessage)) {
            JobEntity job = QuarkusTransaction.requiringNew().call(() -> jobs.findById(jobId));
            dispatchSoon(job.connectionId);
        }
    }

    // ---------------------------------------------------------------- dispatch

    /** A request was stored (committed): serve it now rather than on the next tick. */
    void onRequestStored(@Observes(during = TransactionPhase.AFTER_SUCCESS) RequestStored stored) {
        requested.add(stored.connectionId());
        dispatchSoon(stored.connectionId());
    }

    private void dispatchSoon(String connectionId) {
        workers.submit(Workers.Lane.DISPATCH, List.of(connectionId));
    }

    /** A dispatch worker's batch: the connections Airbyte must know first, then one dispatch. */
    private void dispatchBatch(List<String> connectionIds) {
        long t0 = System.nanoTime();
        try {
            // A burst: learn the queued connections a hundred at a time rather than one by one.
            Set<String> wanted = new LinkedHashSet<>();
            for (String c : connectionIds) {
                if (requested.contains(c)) {
                    wanted.add(c);
                }
            }
            for (String c : workers.waitingKeys(Workers.Lane.DISPATCH)) {
                if (requested.contains(c)) {
                    wanted.add(c);
                }
            }
            airbyte.prefetchConnections(wanted);
        } catch (AirbyteUnavailableException e) {
            LOG.debugf("connections not listed (%s): asked one by one", e.getMessage());
        }
        requested.removeAll(connectionIds);
        long t1 = System.nanoTime();
        Map<String, JobCoordinator.Dispatch> done = coordinator.dispatch(connectionIds);
        Map<JobCoordinator.Dispatch, Integer> outcomes =
                new EnumMap<>(JobCoordinator.Dispatch.class);
        List<String> left = new ArrayList<>();
        done.forEach(
                (connectionId, d) -> {
                    LOG.tracef("connection %s dispatched: %s", connectionId, d);
                    outcomes.merge(d, 1, Integer::sum);
                    if (d == JobCoordinator.Dispatch.LEFT) {
                        left.add(connectionId);
                    }
                });
        if (!left.isEmpty()) {
            workers.submit(Workers.Lane.DISPATCH, left);
        }
        LOG.debugf(
                "dispatch of %d connection(s): %s in %d ms (%d ms learning connections)",
                connectionIds.size(),
                outcomes,
                (System.nanoTime() - t0) / 1_000_000,
                (t1 - t0) / 1_000_000);
    }
}
