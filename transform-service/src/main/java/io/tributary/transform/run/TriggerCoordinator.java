package io.tributary.transform.run;

import io.tributary.events.SyncFinished;
import io.tributary.events.TransformTrigger;
import io.tributary.events.TransformTriggerKind;
import io.tributary.transform.definition.DefinitionRepository;
import io.tributary.transform.definition.ProjectPaths;
import io.tributary.transform.definition.TransformDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Turns triggers into queued runs: a successful sync of an upstream connection ({@code any}: each
 * one; {@code all}: once every listed connection has succeeded since the last run was queued), or
 * an operator's "run now". Triggers for a transform that already has a queued run merge into it.
 * Only stores, in the caller's transaction: the worker runs dbt, never the caller's thread.
 */
@ApplicationScoped
public class TriggerCoordinator {
    private static final Logger LOG = Logger.getLogger(TriggerCoordinator.class);

    @Inject DefinitionRepository definitions;
    @Inject RunRepository runs;
    @Inject FanInRepository fanIn;
    @Inject ProjectPaths paths;

    /** Handles a {@code sync.succeeded}; returns the runs queued or joined. */
    public List<RunRepository.Enqueued> onSyncSucceeded(SyncFinished sync) {
        List<RunRepository.Enqueued> queued = new ArrayList<>();
        for (TransformDefinition d : definitions.downstreamOf(sync.connectionId())) {
            if (d.waitsForAll()) {
                List<FanInEntity> landed =
                        fanIn.record(d.name(), SyncEnding.of(sync), sync.correlationId());
                Map<String, FanInEntity> byConnection = new TreeMap<>();
                landed.forEach(l -> byConnection.put(l.connectionId, l));
                if (!byConnection.keySet().containsAll(d.upstreamConnections())) {
                    LOG.infof(
                            "transform %s: %s landed, waiting for %d of %d upstream connections",
                            d.name(),
                            sync.connectionId(),
                            d.upstreamConnections().size() - landed.size(),
                            d.upstreamConnections().size());
                    continue;
                }
                List<Long> jobIds =
                        byConnection.values().stream()
                                .map(l -> l.jobId)
                                .filter(id -> id != null)
                                .toList();
                // The sync that completed the fan-in first (it is the run's correlationId, as
                // before), then every landed sync's, in the order they landed.
                Set<String> correlationIds = new LinkedHashSet<>();
                if (sync.correlationId() != null) {
                    correlationIds.add(sync.correlationId());
                }
                landed.forEach(l -> correlationIds.addAll(l.correlationIds));
                List<SyncEnding> endings = new ArrayList<>();
                landed.forEach(l -> endings.addAll(SyncEnding.listOf(l.endingsJson)));
                queued.add(
                        enqueue(
                                d,
                                new TransformTrigger(
                                        TransformTriggerKind.SYNC,
                                        jobIds,
                                        List.copyOf(byConnection.keySet())),
                                List.copyOf(correlationIds),
                                d.debounceOrZero(),
                                endings));
                fanIn.clear(d.name());
            } else {
                queued.add(
                        enqueue(
                                d,
                                new TransformTrigger(
                                        TransformTriggerKind.SYNC,
                                        sync.jobId() == null ? List.of() : List.of(sync.jobId()),
                                        List.of(sync.connectionId())),
                                sync.correlationId() == null
                                        ? List.of()
                                        : List.of(sync.correlationId()),
                                d.debounceOrZero(),
                                List.of(SyncEnding.of(sync))));
            }
        }
        return queued;
    }

    /** An operator's run: due at once (it joins a queued run and makes it due now). */
    public RunRepository.Enqueued runNow(TransformDefinition d) {
        return enqueue(
                d,
                new TransformTrigger(TransformTriggerKind.MANUAL, List.of(), List.of()),
                List.of(),
                Duration.ZERO,
                List.of(SyncEnding.MANUAL));
    }

    /** Queues the interrupted run's work again (attempt 2), merging into a queued run if any. */
    public RunRepository.Enqueued requeue(RunEntity interrupted, TransformDefinition d) {
        RunRepository.Enqueued e =
                runs.enqueue(
                        d.name(),
                        projectKey(d),
                        interrupted.trigger(),
                        interrupted.correlationIds,
                        Duration.ZERO,
                        interrupted.attempt + 1,
                        interrupted.runId,
                        interrupted.endings());
        if (interrupted.retryOf != null && !e.coalesced()) {
            // Still a dbt retry of the same run (joining a queued run would make it that run).
            runs.linkRetry(e.runId(), interrupted.retryOf, interrupted.retryNumber);
        }
        LOG.infof(
                "transform %s: run %s was interrupted, queued again as %s",
                d.name(), interrupted.runId, e.runId());
        return e;
    }

    private RunRepository.Enqueued enqueue(
            TransformDefinition d,
            TransformTrigger trigger,
            List<String> correlationIds,
            Duration delay,
            List<SyncEnding> endings) {
        RunRepository.Enqueued e =
                runs.enqueue(
                        d.name(), projectKey(d), trigger, correlationIds, delay, 1, null, endings);
        LOG.infof(
                "transform %s: %s trigger %s run %s (due in %s)",
                d.name(),
                trigger.kind().wire(),
                e.coalesced() ? "joined queued" : "queued",
                e.runId(),
                delay);
        return e;
    }

    /**
     * What may run only once at a time: the real dbt project directory (two transforms of one
     * project share it), the dbt Cloud job, or the project of the dbt image ({@code kubernetes:}).
     */
    public String projectKey(TransformDefinition d) {
        if (TransformDefinition.CLOUD.equals(d.runnerOrDefault())) {
            return "cloud:" + d.cloud().accountId() + ":" + d.cloud().jobId();
        }
        if (TransformDefinition.KUBERNETES.equals(d.runnerOrDefault())) {
            // The project in the dbt image (or its git-sync / PVC source).
            return RunRepository.KUBERNETES_KEY + (d.projectDir() == null ? "." : d.projectDir());
        }
        try {
            return paths.require("projectDir", d.projectDir(), "dbt_project.yml").toString();
        } catch (IllegalStateException gone) {
            // The run will fail with the reason; the key only has to be stable.
            return "missing:" + d.projectDir();
        }
    }
}
