package io.tributary.transform.messaging;

import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventIds;
import io.tributary.events.TransformEvent;
import io.tributary.events.TransformStatus;
import io.tributary.support.Traces;
import io.tributary.support.outbox.Outbox;
import io.tributary.transform.config.TransformConfig;
import io.tributary.transform.run.RunEntity;
import io.tributary.transform.run.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * A run's lifecycle on {@code tributary.transform.events}, keyed by transform name: {@code
 * transform.started} when it starts, then {@code .succeeded} or {@code .failed} when it ends (or
 * only {@code .skipped} when nothing changed). Each event is stored in the outbox in the
 * transaction that records the run's change, and published by the relay after the commit, in the
 * trace of the trigger that queued the run. The ce_id derives from run id and status, so a re-send
 * is recognisable.
 */
@ApplicationScoped
public class TransformEventPublisher {
    static final String SOURCE = CloudEventKafka.source("transform-service");

    @Inject Outbox outbox;
    @Inject TransformConfig config;

    /** {@code transform.started} of a run just claimed (call in the claim's transaction). */
    public void started(RunEntity run) {
        publish(run, TransformStatus.STARTED);
    }

    /**
     * The end of a run just ended: succeeded, skipped (no dbt run), or failed (also for a cancelled
     * run).
     */
    public void ended(RunEntity run) {
        if (!run.status.isTerminal()) {
            throw new IllegalStateException("run " + run.runId + " has not ended");
        }
        publish(
                run,
                switch (run.status) {
                    case SUCCEEDED -> TransformStatus.SUCCEEDED;
                    case SKIPPED -> TransformStatus.SKIPPED;
                    default -> TransformStatus.FAILED;
                });
    }

    /** Stores the event in the outbox (call in the transaction of the change it announces). */
    public void publish(TransformEvent event) {
        outbox.add(
                event.ceType(),
                EventIds.derive("transform", event.runId(), event.status().wire()),
                event.transformName(),
                event,
                SOURCE);
    }

    private void publish(RunEntity run, TransformStatus status) {
        // In the trace of the trigger that queued the run (a new trace when it had none).
        try (var trace = Traces.restore(run.traceparent)) {
            publish(event(run, status, config.kubernetes().namespace()));
        }
    }

    /**
     * The contract event of a run; {@code started} carries identity, trigger and start only, the
     * end of a Kubernetes run its Job and pod in {@code namespace}.
     */
    static TransformEvent event(RunEntity r, TransformStatus status, String namespace) {
        boolean end = status != TransformStatus.STARTED;
        String message = r.message;
        if (end && r.status == RunStatus.CANCELLED && message == null) {
            message = "cancelled";
        }
        return new TransformEvent(
                r.transformName,
                r.runId.toString(),
                status,
                r.command,
                r.select,
                r.target,
                r.trigger(),
                r.startedAt,
                end ? r.finishedAt : null,
                end && r.startedAt != null && r.finishedAt != null
                        ? Duration.between(r.startedAt, r.finishedAt)
                        : null,
                end ? r.exitCode : null,
                end ? r.summary() : null,
                end ? r.failures() : null,
                r.correlationId,
                end ? message : null,
                r.correlationIds,
                r.selectionReason,
                r.changedStreams,
                r.retryOf == null ? null : r.retryOf.toString(),
                end && r.jobName != null
                        ? new TransformEvent.KubernetesJob(namespace, r.jobName, r.podName)
                        : null);
    }
}
