package io.tributary.transform.run;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.transform.definition.TransformDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What the API does with runs: start one now, look at them, cancel one. */
@ApplicationScoped
public class RunService {
    @Inject RunRepository runs;
    @Inject TriggerCoordinator coordinator;
    @Inject RunWorker worker;

    /** The outcome of a cancel request. */
    public enum CancelResult {
        NOT_FOUND,
        ALREADY_FINISHED,
        CANCELLED_QUEUED,
        CANCELLING
    }

    public RunRepository.Enqueued runNow(TransformDefinition d) {
        RunRepository.Enqueued e =
                QuarkusTransaction.requiringNew().call(() -> coordinator.runNow(d));
        worker.wake();
        return e;
    }

    public Optional<RunView> view(UUID runId) {
        return QuarkusTransaction.requiringNew()
                .call(
                        () ->
                                runs.findByIdOptional(runId)
                                        .map(
                                                r ->
                                                        RunView.of(
                                                                r,
                                                                runs.nodes(runId),
                                                                worker.liveTail(runId)
                                                                        .orElse(r.logTail()))));
    }

    public List<RunView> forTransform(String name, int limit) {
        return QuarkusTransaction.requiringNew()
                .call(
                        () ->
                                runs.forTransform(name, limit).stream()
                                        .map(r -> RunView.of(r, null, null))
                                        .toList());
    }

    /**
     * Cancels a queued run at once; asks a running one to stop (dbt gets SIGINT, then SIGKILL after
     * the grace period) and it ends {@code cancelled}, announced by {@code transform.failed}.
     */
    public CancelResult cancel(UUID runId, String caller) {
        CancelResult result =
                QuarkusTransaction.requiringNew()
                        .call(
                                () -> {
                                    if (runs.findByIdOptional(runId).isEmpty()) {
                                        return CancelResult.NOT_FOUND;
                                    }
                                    if (runs.cancelQueued(runId, caller)) {
                                        return CancelResult.CANCELLED_QUEUED;
                                    }
                                    if (runs.requestCancel(runId, caller)) {
                                        return CancelResult.CANCELLING;
                                    }
                                    return CancelResult.ALREADY_FINISHED;
                                });
        if (result == CancelResult.CANCELLING) {
            worker.cancelLocal(runId, "cancelled by " + caller);
        }
        return result;
    }
}
