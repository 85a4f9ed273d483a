package io.tributary.transform.run;

import io.tributary.events.TransformEvent.NodeFailure;
import io.tributary.events.TransformEvent.Summary;
import io.tributary.events.TransformTrigger;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A row of {@code transform_run}.
 *
 * @param triggerCount how many triggers were coalesced into this run
 * @param attempt 1, or 2 for the run queued again after the first was interrupted by a restart
 * @param requeuedFrom the interrupted run this one repeats
 * @param notBefore the run starts no earlier (end of the debounce window)
 * @param traceparent the W3C trace context the run's events are published in, or null
 * @param correlationIds the correlation ids of every sync that triggered the run, {@code
 *     correlationId} first (empty for operators' runs)
 */
public record RunRecord(
        UUID runId,
        String transformName,
        String projectKey,
        RunStatus status,
        TransformTrigger trigger,
        int triggerCount,
        String correlationId,
        int attempt,
        UUID requeuedFrom,
        Instant notBefore,
        Instant queuedAt,
        Instant startedAt,
        Instant finishedAt,
        Instant heartbeatAt,
        String owner,
        Long pid,
        String runner,
        String command,
        String select,
        String target,
        Integer exitCode,
        Summary summary,
        List<NodeFailure> failures,
        String message,
        List<String> logTail,
        String cancelRequestedBy,
        boolean startedPublished,
        boolean finishedPublished,
        String traceparent,
        List<String> correlationIds) {

    public RunRecord {
        correlationIds = correlationIds == null ? List.of() : List.copyOf(correlationIds);
    }
}
