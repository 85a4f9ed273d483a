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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The heartbeat. Each tick: look once at {@code GET /jobs?updatedAtStart=<last look>} to find every
 * job that ended since (one call, however many jobs are in flight); hand at most {@code
 * max-checks-per-tick} due jobs to the check workers (progress, unknown statuses, deadlines), their
 * interval growing with their age; hand connections with pending requests to the dispatch workers.
 * The tick never waits for a check or a dispatch: a slow one delays only its own job or connection.
 * Airbyte calls per tick are bounded whatever the number of jobs in flight. (Events are published
 * by the outbox relay, which a commit wakes.)
 */
@ApplicationScoped
public class JobPoller {
    private static final Logger LOG = Logger.getLogger(JobPoller.class);

    /** Airbyte's times have whole seconds: look a little before the last look. */
    private static final Duration LIST_OVERLAP = Duration.ofSeconds(2);

    private static final int DISPATCH_BATCH = 500;

    @Inject JobCoordinator coordinator;
    @Inject JobRepository jobs;
    @Inject SyncRequestRepository requests;
    @Inject MonitorState state;
    @Inject AirbyteClient airbyte;
    @Inject Workers workers;
    @Inject MonitorConfig config;
    @Inject MeterRegistry registry;

    private final AtomicLong inFlight = new AtomicLong();
    private volatile Instant lastList = Instant.EPOCH;
    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @PostConstruct
    void metrics() {
        Gauge.builder("tributary.monitor.jobs.in.flight", inFlight, AtomicLong::get)
                .description("Airbyte jobs the monitor waits on")
                .register(registry);
    }

    @Scheduled(
            identity = "sync-monitor-tick",
            every = "${tributary.monitor.poll.tick}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (stopping) {
            return;
        }
        try {
            listEnded();
            checkDue();
            dispatchPending();
            workers.reportSlow();
            inFlight.set(QuarkusTransaction.requiringNew().call(jobs::inFlight));
        } catch (RuntimeException e) {
            LOG.warnf(e, "monitor tick failed; the next one carries on");
        }
    }

    /** One list call finds every job that ended since the last look. */
    void listEnded() {
        Instant now = Instant.now();
        if (now.isBefore(lastList.plus(config.poll().listInterval()))) {
            return;
        }
        Optional<Instant> oldest =
                QuarkusTransaction.requiringNew().call(jobs::oldestActiveTrackedAt);
        if (oldest.isEmpty()) {
            return;
        }
        // Every active job ended after it was tracked, and endings before the last look were seen.
        Instant last =
                QuarkusTransaction.requiringNew()
                        .call(() -> state.lastListLook().orElse(oldest.get()));
        Instant since = (last.isAfter(oldest.get()) ? last : oldest.get()).minus(LIST_OVERLAP);
        List<AirbyteJob> ended;
        try {
            ended = airbyte.jobsUpdatedSince(since);
        } catch (AirbyteUnavailableException e) {
            LOG.debugf("job list look failed: %s", e.getMessage());
            return;
        }
        lastList = now;
        // Storing what Airbyte answered is database work only (a job another worker holds is
        // skipped, not waited for), so the look is complete before it is moved forward.
        Set<Long> seen = new HashSet<>();
        Set<String> followUps = new LinkedHashSet<>();
        for (AirbyteJob job : ended) {
            if (job.isTerminal() && seen.add(job.jobId()) && coordinator.observed(job, "list")) {
                followUps.add(job.connectionId());
            }
        }
        QuarkusTransaction.requiringNew().run(() -> state.setLastListLook(now));
        followUps.forEach(this::dispatchSoon);
    }

    void checkDue() {
        int max = config.poll().maxChecksPerTick();
        // Jobs whose check still runs are due too; ask for enough to hand out max others.
        int ask = max + workers.busy(Workers.Lane.CHECK);
        List<Long> due = QuarkusTransaction.requiringNew().call(() -> jobs.due(Instant.now(), ask));
        int handed = 0;
        for (Long jobId : due) {
            if (handed == max) {
                return;
            }
            if (workers.runIfIdle(
                    Workers.Lane.CHECK, "job " + jobId, () -> check(jobId, "poll", null))) {
                handed++;
            }
        }
    }

    void dispatchPending() {
        List<String> connections =
                QuarkusTransaction.requiringNew()
                        .call(() -> requests.connectionsWithPending(DISPATCH_BATCH));
        for (String connectionId : connections) {
            workers.runIfIdle(Workers.Lane.DISPATCH, connectionId, () -> dispatch(connectionId));
        }
    }

    /** A request was stored (committed): serve it now rather than on the next tick. */
    void onRequestStored(@Observes(during = TransactionPhase.AFTER_SUCCESS) RequestStored stored) {
        dispatchSoon(stored.connectionId());
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

    private void dispatch(String connectionId) {
        JobCoordinator.Dispatch done = coordinator.dispatch(connectionId);
        LOG.tracef("connection %s dispatched: %s", connectionId, done);
    }

    private void dispatchSoon(String connectionId) {
        workers.runSoon(Workers.Lane.DISPATCH, connectionId, () -> dispatch(connectionId));
    }
}
