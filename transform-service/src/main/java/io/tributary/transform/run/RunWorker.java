package io.tributary.transform.run;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tributary.transform.config.TransformConfig;
import io.tributary.transform.definition.DefinitionStore;
import io.tributary.transform.definition.TransformDefinition;
import io.tributary.transform.messaging.RunEvents;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the queue. One scheduler thread ticks every {@code poll-interval} (and at once when a
 * trigger was stored): it recovers interrupted runs, passes on cancellations, writes heartbeats,
 * re-sends unsent events and claims due runs (one per dbt project, at most {@code
 * max-concurrent-runs} here) for a pool of run threads. Kafka consumers and REST calls only store
 * and wake it: they never wait for dbt.
 */
@ApplicationScoped
public class RunWorker {
    private static final Logger LOG = Logger.getLogger(RunWorker.class);
    static final String RESTART_REASON = "interrupted by restart";

    @Inject TransformConfig config;
    @Inject RunStore store;
    @Inject DefinitionStore definitions;
    @Inject TriggerCoordinator coordinator;
    @Inject RunEvents events;
    @Inject CliRunner cliRunner;
    @Inject CloudRunner cloudRunner;

    private final Map<UUID, RunExecution> active = new ConcurrentHashMap<>();
    private String owner;
    private ScheduledExecutorService ticker;
    private ExecutorService runThreads;
    private volatile boolean stopping;
    private long lastHeartbeat;
    private long lastRepublish;

    void onStart(@Observes @Priority(20) StartupEvent event) {
        owner = instanceId() + "/" + UUID.randomUUID().toString().substring(0, 8);
        ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "transform-worker"));
        runThreads =
                Executors.newFixedThreadPool(
                        config.maxConcurrentRuns(), r -> daemon(r, "transform-run"));
        ticker.execute(this::recoverAtStartup);
        ticker.scheduleWithFixedDelay(
                this::tick, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("transform worker %s started", owner);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        // dbt does not outlive us; the rows stay 'running' and are recovered after the restart.
        active.values().forEach(RunExecution::abandon);
        if (runThreads != null) {
            runThreads.shutdownNow();
        }
    }

    /** Looks at the queue soon (a trigger was just stored). */
    void onRunsQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) RunsQueued queued) {
        wake();
    }

    public void wake() {
        if (ticker != null && !stopping) {
            try {
                ticker.execute(this::tick);
            } catch (RuntimeException rejected) {
                // shutting down
            }
        }
    }

    /** This instance's id in {@code transform_run.owner}: {@code <instance-id>/<boot>}. */
    public String owner() {
        return owner;
    }

    /** Cancels a run executing here; false when it is not (another instance will see the flag). */
    public boolean cancelLocal(UUID runId, String reason) {
        RunExecution execution = active.get(runId);
        if (execution == null) {
            return false;
        }
        execution.cancel(reason);
        return true;
    }

    /** The live log tail of a run executing here. */
    public Optional<List<String>> liveTail(UUID runId) {
        return Optional.ofNullable(active.get(runId)).map(RunExecution::tail);
    }

    /**
     * After a restart: the runs this instance (same {@code instance-id}, an earlier boot) had
     * running were interrupted. Marked failed with the reason, and queued again once.
     */
    public void recoverAtStartup() {
        config.instanceId()
                .ifPresent(id -> recover(store.failInterrupted(id + "/%", owner, RESTART_REASON)));
    }

    /** Runs whose heartbeat stopped, whoever ran them: failed, and queued again once. */
    public void recoverStale() {
        recover(
                store.failStale(
                        config.staleAfter(),
                        RESTART_REASON
                                + " (no heartbeat for "
                                + config.staleAfter()
                                + " from its instance)"));
    }

    private void recover(List<RunRecord> interrupted) {
        for (RunRecord run : interrupted) {
            LOG.warnf(
                    "run %s of %s (owner %s) was interrupted: marked failed",
                    run.runId(), run.transformName(), run.owner());
            events.publishPending(run);
            if (run.attempt() > 1) {
                LOG.warnf("run %s was already a retry: not queued again", run.runId());
                continue;
            }
            definitions.find(run.transformName()).ifPresent(d -> coordinator.requeue(run, d));
        }
    }

    void tick() {
        if (stopping) {
            return;
        }
        try {
            recoverStale();
            for (UUID runId : store.cancelRequested(owner)) {
                RunExecution execution = active.get(runId);
                if (execution != null && !execution.isCancelled()) {
                    execution.cancel("cancelled on request");
                }
            }
            long now = System.currentTimeMillis();
            if (now - lastHeartbeat >= config.heartbeatInterval().toMillis()) {
                lastHeartbeat = now;
                for (RunExecution e : active.values()) {
                    if (!e.isEnding() && !store.heartbeat(e.runId(), e.tail()) && !e.isEnding()) {
                        // Another instance declared it interrupted: it must not run twice.
                        LOG.warnf("run %s is no longer ours: stopping dbt", e.runId());
                        e.abandon();
                    }
                }
            }
            if (now - lastRepublish >= 5_000) {
                lastRepublish = now;
                for (RunRecord r : store.unpublished(Duration.ofSeconds(10))) {
                    if (!active.containsKey(r.runId())) {
                        events.publishPending(r);
                    }
                }
            }
            while (active.size() < config.maxConcurrentRuns() && !stopping) {
                Optional<RunRecord> claimed = store.claimNext(owner);
                if (claimed.isEmpty()) {
                    break;
                }
                start(claimed.get());
            }
        } catch (RuntimeException e) {
            LOG.warnf("transform worker tick failed (will retry): %s", e.toString());
        }
    }

    private void start(RunRecord run) {
        RunExecution execution = new RunExecution(run.runId(), config.logTailLines());
        active.put(run.runId(), execution);
        try {
            runThreads.execute(
                    () -> {
                        try {
                            execute(run, execution);
                        } catch (RuntimeException e) {
                            LOG.errorf(e, "run %s of %s crashed", run.runId(), run.transformName());
                        } finally {
                            active.remove(run.runId());
                            wake();
                        }
                    });
        } catch (RuntimeException rejected) {
            active.remove(run.runId());
        }
    }

    private void execute(RunRecord claimed, RunExecution execution) {
        Optional<TransformDefinition> found = definitions.find(claimed.transformName());
        RunOutcome outcome;
        if (found.isEmpty()) {
            outcome = RunOutcome.failed("the transform definition was deleted");
        } else {
            TransformDefinition d = found.get();
            store.describe(
                    claimed.runId(),
                    d.runnerOrDefault(),
                    d.commandOrDefault(),
                    d.select(),
                    d.target());
            store.find(claimed.runId()).ifPresent(events::publishPending);
            if (claimed.cancelRequestedBy() != null) {
                execution.cancel("cancelled by " + claimed.cancelRequestedBy());
            }
            Duration timeout = d.timeout() != null ? d.timeout() : config.defaultTimeout();
            TransformRunner runner =
                    TransformDefinition.CLOUD.equals(d.runnerOrDefault()) ? cloudRunner : cliRunner;
            try {
                outcome = runner.run(d, claimed, timeout, execution);
            } catch (RuntimeException e) {
                LOG.errorf(e, "run %s of %s failed unexpectedly", claimed.runId(), d.name());
                outcome = RunOutcome.failed("runner error: " + e.getMessage());
            }
        }
        execution.markEnding();
        if (execution.isAbandoned()) {
            return; // the service is stopping, or the run was taken over: not ours to end
        }
        outcome.nodes().forEach(n -> store.upsertNode(claimed.runId(), n));
        boolean finished =
                store.finish(
                        claimed.runId(),
                        outcome.status(),
                        outcome.exitCode(),
                        outcome.summary(),
                        outcome.failures(),
                        outcome.message(),
                        execution.tail());
        if (!finished) {
            LOG.warnf(
                    "run %s of %s was no longer running when it ended (recovered meanwhile)",
                    claimed.runId(), claimed.transformName());
            return;
        }
        LOG.infof(
                "run %s of %s %s%s",
                claimed.runId(),
                claimed.transformName(),
                outcome.status().wire(),
                outcome.message() == null ? "" : ": " + outcome.message());
        store.find(claimed.runId()).ifPresent(events::publishPending);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private String instanceId() {
        return config.instanceId()
                .orElseGet(
                        () -> {
                            try {
                                return InetAddress.getLocalHost().getHostName();
                            } catch (Exception e) {
                                return "transform-service";
                            }
                        });
    }
}
