package io.tributary.transform.run;

import io.tributary.transform.definition.TransformDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What the API does with runs: start one now, look at them, cancel one. */
@ApplicationScoped
public class RunService {
    @Inject RunStore store;
    @Inject TriggerCoordinator coordinator;
    @Inject RunWorker worker;
    @Inject Event<RunsQueued> runsQueued;

    /** The outcome of a cancel request. */
    public enum CancelResult {
        NOT_FOUND,
        ALREADY_FINISHED,
        CANCELLED_QUEUED,
        CANCELLING
    }

    public RunStore.Enqueued runNow(TransformDefinition d) {
        RunStore.Enqueued e = coordinator.runNow(d);
        runsQueued.fire(new RunsQueued());
        return e;
    }

    public Optional<RunView> view(UUID runId) {
        return store.find(runId)
                .map(
                        r ->
                                RunView.of(
                                        r,
                                        store.nodes(runId),
                                        worker.liveTail(runId).orElse(r.logTail())));
    }

    public List<RunView> forTransform(String name, int limit) {
        return store.forTransform(name, limit).stream()
                .map(r -> RunView.of(r, null, null))
                .toList();
    }

    /**
     * Cancels a queued run at once; asks a running one to stop (dbt gets SIGINT, then SIGKILL after
     * the grace period) and it ends {@code cancelled}, announced by {@code transform.failed}.
     */
    public CancelResult cancel(UUID runId, String caller) {
        Optional<RunRecord> run = store.find(runId);
        if (run.isEmpty()) {
            return CancelResult.NOT_FOUND;
        }
        if (store.cancelQueued(runId, caller)) {
            return CancelResult.CANCELLED_QUEUED;
        }
        if (store.requestCancel(runId, caller)) {
            worker.cancelLocal(runId, "cancelled by " + caller);
            return CancelResult.CANCELLING;
        }
        return CancelResult.ALREADY_FINISHED;
    }
}
