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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The heartbeat. Each tick: publish what is pending; look once at {@code GET
 * /jobs?updatedAtStart=<last look>} to find every job that ended since (one call, however many jobs
 * are in flight); check at most {@code max-checks-per-tick} due jobs one by one (progress, unknown
 * statuses, deadlines), their interval growing with their age; serve pending requests. Airbyte
 * calls per tick are bounded whatever the number of jobs in flight.
 */
@ApplicationScoped
public class JobPoller {
    private static final Logger LOG = Logger.getLogger(JobPoller.class);

    /** Airbyte's times have whole seconds: look a little before the last look. */
    private static final Duration LIST_OVERLAP = Duration.ofSeconds(2);

    @Inject JobCoordinator coordinator;
    @Inject Outbox outbox;
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
            outbox.publishPending();
            listEnded();
            checkDue();
            dispatchPending();
            outbox.publishPending();
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
        Set<Long> seen = new HashSet<>();
        List<Runnable> work = new ArrayList<>();
        for (AirbyteJob job : ended) {
            if (job.isTerminal() && seen.add(job.jobId())) {
                work.add(() -> afterEnd(job.connectionId(), coordinator.observed(job, "list")));
            }
        }
        workers.runAll("list look", work);
        QuarkusTransaction.requiringNew().run(() -> state.setLastListLook(now));
    }

    void checkDue() {
        List<Long> due =
                QuarkusTransaction.requiringNew()
                        .call(() -> jobs.due(Instant.now(), config.poll().maxChecksPerTick()));
        List<Runnable> work = new ArrayList<>();
        for (Long jobId : due) {
            work.add(() -> check(jobId, "poll", null));
        }
        workers.runAll("job checks", work);
    }

    void dispatchPending() {
        List<String> connections =
                QuarkusTransaction.requiringNew().call(() -> requests.connectionsWithPending(500));
        List<Runnable> work = new ArrayList<>();
        for (String connectionId : connections) {
            work.add(() -> coordinator.dispatch(connectionId));
        }
        workers.runAll("dispatch", work);
    }

    /** A request was stored (committed): serve it now rather than on the next tick. */
    void onRequestStored(@Observes(during = TransactionPhase.AFTER_SUCCESS) RequestStored stored) {
        workers.submit(
                "dispatch " + stored.connectionId(),
                () -> {
                    coordinator.dispatch(stored.connectionId());
                    outbox.publishPending();
                });
    }

    /** Checks one job now (a hint, a due check); when it ended, publishes and serves followers. */
    public void check(long jobId, String detectedBy, String hintMessage) {
        boolean ended = coordinator.check(jobId, detectedBy, hintMessage);
        if (ended) {
            JobEntity job = QuarkusTransaction.requiringNew().call(() -> jobs.findById(jobId));
            afterEnd(job.connectionId, true);
        }
    }

    private void afterEnd(String connectionId, boolean ended) {
        if (ended) {
            outbox.publishPending();
            coordinator.dispatch(connectionId);
            outbox.publishPending();
        }
    }
}
