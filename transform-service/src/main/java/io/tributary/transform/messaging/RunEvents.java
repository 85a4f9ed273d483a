package io.tributary.transform.messaging;

import io.tributary.events.TransformEvent;
import io.tributary.events.TransformStatus;
import io.tributary.support.Traces;
import io.tributary.transform.run.RunRecord;
import io.tributary.transform.run.RunStatus;
import io.tributary.transform.run.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Publishes a run's {@code transform.started} and its terminal event, each once acknowledged by
 * Kafka, in that order. What could not be sent stays flagged in the run's row and is sent again by
 * the worker (same ce_id, so consumers drop a duplicate).
 */
@ApplicationScoped
public class RunEvents {
    private static final Logger LOG = Logger.getLogger(RunEvents.class);
    private static final long ACK_TIMEOUT_SECONDS = 30;

    @Inject TransformEventPublisher publisher;
    @Inject RunStore store;

    /** Sends what this run still owes; false when something could not be sent now. */
    public boolean publishPending(RunRecord run) {
        if (run.status() == RunStatus.QUEUED) {
            return true;
        }
        // In the trace of the trigger that queued the run (a new trace when it had none).
        try (var trace = Traces.restore(run.traceparent())) {
            if (!run.startedPublished()) {
                send(event(run, TransformStatus.STARTED));
                store.markPublished(run.runId(), false);
            }
            if (run.status().isFinal() && !run.finishedPublished()) {
                TransformStatus status =
                        run.status() == RunStatus.SUCCEEDED
                                ? TransformStatus.SUCCEEDED
                                : TransformStatus.FAILED;
                send(event(run, status));
                store.markPublished(run.runId(), true);
            }
            return true;
        } catch (Exception e) {
            LOG.warnf(
                    "events of run %s of %s not sent yet (will retry): %s",
                    run.runId(), run.transformName(), e.toString());
            return false;
        }
    }

    private void send(TransformEvent event) throws Exception {
        publisher.publish(event).toCompletableFuture().get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** The contract event of a run; {@code started} carries identity, trigger and start only. */
    public static TransformEvent event(RunRecord r, TransformStatus status) {
        boolean end = status != TransformStatus.STARTED;
        String message = r.message();
        if (end && r.status() == RunStatus.CANCELLED && message == null) {
            message = "cancelled";
        }
        return new TransformEvent(
                r.transformName(),
                r.runId().toString(),
                status,
                r.command(),
                r.select(),
                r.target(),
                r.trigger(),
                r.startedAt(),
                end ? r.finishedAt() : null,
                end && r.startedAt() != null && r.finishedAt() != null
                        ? Duration.between(r.startedAt(), r.finishedAt())
                        : null,
                end ? r.exitCode() : null,
                end ? r.summary() : null,
                end ? r.failures() : null,
                r.correlationId(),
                end ? message : null,
                r.correlationIds());
    }
}
