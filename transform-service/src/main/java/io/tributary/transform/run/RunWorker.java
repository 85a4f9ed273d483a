package io.tributary.transform.run;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tributary.transform.config.TransformConfig;
import io.tributary.transform.definition.DefinitionRepository;
import io.tributary.transform.definition.TransformDefinition;
import io.tributary.transform.messaging.TransformEventPublisher;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs the queue. One scheduler thread ticks every {@code poll-interval} (and at once when a
 * trigger was stored): it recovers interrupted runs, passes on cancellations, writes heartbeats and
 * claims due runs (one per dbt project, at most {@code max-concurrent-runs} here) for a pool of run
 * threads. Kafka consumers and REST calls only store and wake it: they never wait for dbt. Each
 * change of a run's state and its event commit together (the outbox).
 */
@ApplicationScoped
public class RunWorker {
    private static final Logger LOG = Logger.getLogger(RunWorker.class);
    static final String RESTART_REASON = "interrupted by restart";

    @Inject TransformConfig config;
    @Inject RunRepository runs;
    @Inject DefinitionRepository definitions;
    @Inject TriggerCoordinator coordinator;
    @Inject TransformEventPublisher events;
    @Inject CliRunner cliRunner;
    @Inject CloudRunner cloudRunner;
    @Inject KubernetesRunner kubernetesRunner;
    @Inject SelectionPlanner planner;
    @Inject Retries retries;

    private final Map<UUID, RunExecution> active = new ConcurrentHashMap<>();

    /** The runs of {@link #active} that follow a Job (they do not count as local runs). */
    private final Set<UUID> following = ConcurrentHashMap.newKeySet();

    private String owner;
    private ScheduledExecutorService ticker;
    private ExecutorService runThreads;
    private ExecutorService followThreads;
    private volatile boolean stopping;
    private long lastHeartbeat;

    /** A run just claimed, with its definition (empty when it was deleted meanwhile). */
    private record Claimed(RunEntity run, Optional<TransformDefinition> definition) {}

    void onStart(@Observes @Priority(20) StartupEvent event) {
        owner = instanceId() + "/" + UUID.randomUUID().toString().substring(0, 8);
        ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "transform-worker"));
        runThreads =
                Executors.newFixedThreadPool(
                        config.maxConcurrentRuns(), r -> daemon(r, "transform-run"));
        // One thread per Job followed; max-concurrent-jobs bounds them (at the claim).
        followThreads = Executors.newCachedThreadPool(r -> daemon(r, "transform-job"));
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
        // dbt does not outlive us (a Job does); the rows stay 'running' and are recovered (or
        // re-attached to) after the restart.
        active.values().forEach(RunExecution::abandon);
        if (runThreads != null) {
            runThreads.shutdownNow();
        }
        if (followThreads != null) {
            followThreads.shutdownNow();
        }
    }

    /** Looks at the queue soon (call after a trigger was committed). */
    public void wake() {
        if (ticker != null && !stopping) {
            try {
                ticker.execute(this::tick);
            } catch (RuntimeException rejected) {
                // shutting down
            }
        }
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
     * running were interrupted. Marked failed with the reason, and queued again once; kubernetes
     * runs are re-attached to their Job instead (failed when it is gone).
     */
    public void recoverAtStartup() {
        config.instanceId()
                .ifPresent(
                        id -> {
                            recover(() -> runs.failInterrupted(id + "/%", owner, RESTART_REASON));
                            adopt(id + "/%");
                        });
    }

    /**
     * Runs whose heartbeat stopped, whoever ran them: failed, and queued again once; kubernetes
     * runs are followed here from now on.
     */
    void recoverStale() {
        recover(
                () ->
                        runs.failStale(
                                config.staleAfter(),
                                RESTART_REASON
                                        + " (no heartbeat for "
                                        + config.staleAfter()
                                        + " from its instance)"));
        adopt(null);
    }

    /**
     * Stops following a run here without ending it (as a stopping service does): its Job goes on.
     * For tests of the re-attach.
     */
    public boolean abandonLocal(UUID runId) {
        RunExecution execution = active.get(runId);
        if (execution == null) {
            return false;
        }
        execution.abandon();
        return true;
    }

    /** Takes over the kubernetes runs of an earlier boot (or stale ones) and follows their Jobs. */
    private void adopt(String ownerPattern) {
        List<RunEntity> adopted =
                QuarkusTransaction.requiringNew()
                        .call(() -> runs.adoptKubernetes(ownerPattern, owner, config.staleAfter()));
        for (RunEntity run : adopted) {
            if (active.containsKey(run.runId)) {
                continue;
            }
            LOG.infof(
                    "run %s of %s: re-attaching to its Job %s",
                    run.runId, run.transformName, run.jobName);
            RunExecution execution = new RunExecution(run.runId, config.logTailLines());
            active.put(run.runId, execution);
            following.add(run.runId);
            submit(run, execution, () -> resume(run, execution));
        }
    }

    /** Fails the runs {@code fail} finds, announces each and queues it again once, atomically. */
    private void recover(Supplier<List<RunEntity>> fail) {
        boolean requeued =
                QuarkusTransaction.requiringNew()
                        .call(
                                () -> {
                                    boolean any = false;
                                    for (RunEntity run : fail.get()) {
                                        LOG.warnf(
                                                "run %s of %s (owner %s) was interrupted: marked"
                                                        + " failed",
                                                run.runId, run.transformName, run.owner);
                                        events.ended(run);
                                        if (run.attempt > 1) {
                                            LOG.warnf(
                                                    "run %s was already a retry: not queued again",
                                                    run.runId);
                                            continue;
                                        }
                                        Optional<TransformDefinition> d =
                                                definitions.byName(run.transformName);
                                        if (d.isPresent()) {
                                            coordinator.requeue(run, d.get());
                                            any = true;
                                        }
                                    }
                                    return any;
                                });
        if (requeued) {
            wake();
        }
    }

    void tick() {
        if (stopping) {
            return;
        }
        try {
            recoverStale();
            List<UUID> cancelled =
                    QuarkusTransaction.requiringNew().call(() -> runs.cancelRequested(owner));
            for (UUID runId : cancelled) {
                RunExecution execution = active.get(runId);
                if (execution != null && !execution.isCancelled()) {
                    execution.cancel("cancelled on request");
                }
            }
            long now = System.currentTimeMillis();
            if (now - lastHeartbeat >= config.heartbeatInterval().toMillis()) {
                lastHeartbeat = now;
                for (RunExecution e : active.values()) {
                    if (!e.isEnding() && !heartbeat(e) && !e.isEnding()) {
                        // Another instance declared it interrupted: it must not run twice.
                        LOG.warnf("run %s is no longer ours: stopping dbt", e.runId());
                        e.abandon();
                    }
                }
            }
            while (!stopping) {
                Optional<Claimed> claimed = claim(localRuns() < config.maxConcurrentRuns());
                if (claimed.isEmpty()) {
                    break;
                }
                start(claimed.get());
            }
        } catch (RuntimeException e) {
            LOG.warnf("transform worker tick failed (will retry): %s", e.toString());
        }
    }

    private boolean heartbeat(RunExecution e) {
        return QuarkusTransaction.requiringNew().call(() -> runs.heartbeat(e.runId(), e.tail()));
    }

    /**
     * Claims the next due run and records what it executes (a snapshot of its definition); its
     * {@code transform.started} is stored once its selection is decided ({@link #announce}).
     */
    private int localRuns() {
        return active.size() - following.size();
    }

    private Optional<Claimed> claim(boolean local) {
        try {
            return QuarkusTransaction.requiringNew()
                    .call(
                            () -> {
                                Optional<RunEntity> next =
                                        runs.claimNext(
                                                owner,
                                                local,
                                                config.kubernetes().maxConcurrentJobs());
                                if (next.isEmpty()) {
                                    return Optional.empty();
                                }
                                RunEntity run = next.get();
                                Optional<TransformDefinition> d =
                                        definitions.byName(run.transformName);
                                d.ifPresent(
                                        found -> {
                                            run.runner = found.runnerOrDefault();
                                            run.command = found.commandOrDefault();
                                            run.select = found.select();
                                            run.target = found.target();
                                        });
                                return Optional.of(new Claimed(run, d));
                            });
        } catch (RuntimeException e) {
            if (RunRepository.lostRace(e)) {
                return Optional.empty(); // another instance started a run of the same project
            }
            throw e;
        }
    }

    private void start(Claimed claimed) {
        RunEntity run = claimed.run();
        RunExecution execution = new RunExecution(run.runId, config.logTailLines());
        active.put(run.runId, execution);
        if (TransformDefinition.KUBERNETES.equals(run.runner)) {
            following.add(run.runId);
        }
        submit(run, execution, () -> execute(run, claimed.definition(), execution));
    }

    private void submit(RunEntity run, RunExecution execution, Runnable work) {
        ExecutorService threads = following.contains(run.runId) ? followThreads : runThreads;
        try {
            threads.execute(
                    () -> {
                        try {
                            work.run();
                        } catch (RuntimeException e) {
                            LOG.errorf(e, "run %s of %s crashed", run.runId, run.transformName);
                        } finally {
                            active.remove(run.runId);
                            following.remove(run.runId);
                            wake();
                        }
                    });
        } catch (RuntimeException rejected) {
            active.remove(run.runId);
            following.remove(run.runId);
        }
    }

    /** A kubernetes run taken over after a restart: its Job is followed to its end. */
    private void resume(RunEntity run, RunExecution execution) {
        Optional<TransformDefinition> found =
                QuarkusTransaction.requiringNew().call(() -> definitions.byName(run.transformName));
        Duration timeout =
                found.map(TransformDefinition::timeout).orElse(null) != null
                        ? found.get().timeout()
                        : config.defaultTimeout();
        if (run.cancelRequestedBy != null) {
            execution.cancel("cancelled by " + run.cancelRequestedBy);
        }
        RunOutcome outcome;
        try {
            outcome = kubernetesRunner.reattach(run, timeout, execution);
        } catch (RuntimeException e) {
            LOG.errorf(e, "run %s of %s failed unexpectedly", run.runId, run.transformName);
            outcome = RunOutcome.failed("runner error: " + e.getMessage());
        }
        end(run, found, execution, outcome);
    }

    private void execute(
            RunEntity run, Optional<TransformDefinition> found, RunExecution execution) {
        RunOutcome outcome;
        if (!announce(run, found)) {
            return; // skipped: nothing to run
        }
        if (found.isEmpty()) {
            outcome = RunOutcome.failed("the transform definition was deleted");
        } else {
            TransformDefinition d = found.get().withCommandAndSelect(run.command, run.select);
            if (run.cancelRequestedBy != null) {
                execution.cancel("cancelled by " + run.cancelRequestedBy);
            }
            Duration timeout = d.timeout() != null ? d.timeout() : config.defaultTimeout();
            TransformRunner runner =
                    switch (d.runnerOrDefault()) {
                        case TransformDefinition.CLOUD -> cloudRunner;
                        case TransformDefinition.KUBERNETES -> kubernetesRunner;
                        default -> cliRunner;
                    };
            try {
                outcome = runner.run(d, run, timeout, execution);
            } catch (RuntimeException e) {
                LOG.errorf(e, "run %s of %s failed unexpectedly", run.runId, d.name());
                outcome = RunOutcome.failed("runner error: " + e.getMessage());
            }
        }
        end(run, found, execution, outcome);
    }

    /** Records the run's end and its event (and a retry), unless it is no longer ours. */
    private void end(
            RunEntity run,
            Optional<TransformDefinition> found,
            RunExecution execution,
            RunOutcome outcome) {
        execution.markEnding();
        if (execution.isAbandoned()) {
            return; // the service is stopping, or the run was taken over: not ours to end
        }
        RunOutcome result = outcome;
        Optional<RunEntity> finished =
                QuarkusTransaction.requiringNew()
                        .call(
                                () -> {
                                    result.nodes().forEach(n -> runs.upsertNode(run.runId, n));
                                    Optional<RunEntity> ended =
                                            runs.finish(
                                                    run.runId,
                                                    result.status(),
                                                    result.exitCode(),
                                                    result.summary(),
                                                    result.failures(),
                                                    result.message(),
                                                    execution.tail());
                                    ended.ifPresent(events::ended);
                                    ended.ifPresent(
                                            e ->
                                                    found.ifPresent(
                                                            d -> retries.afterEnd(d, e, result)));
                                    return ended;
                                });
        if (finished.isEmpty()) {
            LOG.warnf(
                    "run %s of %s was no longer running when it ended (recovered meanwhile)",
                    run.runId, run.transformName);
            return;
        }
        LOG.infof(
                "run %s of %s %s%s",
                run.runId,
                run.transformName,
                outcome.status().wire(),
                outcome.message() == null ? "" : ": " + outcome.message());
    }

    /**
     * Decides what the run executes (its selection; nothing when it is skipped), records it and
     * stores {@code transform.started}, or ends the run {@code skipped} with its event, in one
     * transaction. False when the run was skipped.
     */
    private boolean announce(RunEntity run, Optional<TransformDefinition> found) {
        SelectionPlanner.Decision decision = found.map(d -> planner.decide(d, run)).orElse(null);
        if (decision != null) {
            run.command = decision.command();
            run.select = decision.select();
            run.selectionReason = decision.reason();
            run.changedStreams = decision.changed();
        }
        Optional<RunEntity> skipped =
                QuarkusTransaction.requiringNew()
                        .call(
                                () -> {
                                    runs.recordSelection(
                                            run.runId,
                                            run.command,
                                            run.select,
                                            run.selectionReason,
                                            run.changedStreams);
                                    if (decision != null && decision.skip()) {
                                        Optional<RunEntity> s =
                                                runs.skip(run.runId, decision.reason());
                                        s.ifPresent(events::ended);
                                        return Optional.of(s.orElse(run));
                                    }
                                    events.started(run);
                                    return Optional.<RunEntity>empty();
                                });
        if (skipped.isPresent()) {
            LOG.infof("run %s of %s skipped: %s", run.runId, run.transformName, decision.reason());
            return false;
        }
        return true;
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
