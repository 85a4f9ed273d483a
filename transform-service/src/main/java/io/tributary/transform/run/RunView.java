package io.tributary.transform.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tributary.events.TransformEvent.NodeFailure;
import io.tributary.events.TransformEvent.Summary;
import io.tributary.events.TransformTrigger;
import io.tributary.transform.dbt.NodeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A run as {@code /api} shows it; {@code nodes} and {@code logTail} only for a single run. {@code
 * correlationIds}: those of the syncs that triggered it, as on its events; {@code select}, {@code
 * selectionReason}, {@code changedStreams} and {@code retryOf} as on its events; {@code jobName}
 * and {@code podName} for {@code runner: kubernetes}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunView(
        String runId,
        String transformName,
        RunStatus status,
        TransformTrigger trigger,
        int triggerCount,
        int attempt,
        String requeuedFrom,
        Instant queuedAt,
        Instant notBefore,
        Instant startedAt,
        Instant finishedAt,
        Duration elapsed,
        String runner,
        String command,
        String select,
        String target,
        Integer exitCode,
        Summary summary,
        List<NodeFailure> failures,
        String message,
        String cancelRequestedBy,
        List<NodeResult> nodes,
        List<String> logTail,
        List<String> correlationIds,
        String selectionReason,
        List<String> changedStreams,
        String retryOf,
        Integer retryNumber,
        String jobName,
        String podName) {

    public static RunView of(RunEntity r, List<NodeResult> nodes, List<String> logTail) {
        return new RunView(
                r.runId.toString(),
                r.transformName,
                r.status,
                r.trigger(),
                r.triggerCount,
                r.attempt,
                r.requeuedFrom == null ? null : r.requeuedFrom.toString(),
                r.queuedAt,
                r.status == RunStatus.QUEUED ? r.notBefore : null,
                r.startedAt,
                r.finishedAt,
                r.startedAt != null && r.finishedAt != null
                        ? Duration.between(r.startedAt, r.finishedAt)
                        : null,
                r.runner,
                r.command,
                r.select,
                r.target,
                r.exitCode,
                r.summary(),
                r.failures(),
                r.message,
                r.cancelRequestedBy,
                nodes,
                logTail,
                r.correlationIds,
                r.selectionReason,
                r.changedStreams,
                r.retryOf == null ? null : r.retryOf.toString(),
                r.retryNumber == 0 ? null : r.retryNumber,
                r.jobName,
                r.podName);
    }
}
