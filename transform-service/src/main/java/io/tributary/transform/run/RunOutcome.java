package io.tributary.transform.run;

import io.tributary.events.TransformEvent.NodeFailure;
import io.tributary.events.TransformEvent.Summary;
import io.tributary.transform.dbt.NodeResult;
import java.util.List;

/** How a run ended, as a runner reports it. */
public record RunOutcome(
        RunStatus status,
        Integer exitCode,
        Summary summary,
        List<NodeFailure> failures,
        List<NodeResult> nodes,
        String message) {

    public static RunOutcome failed(String message) {
        return new RunOutcome(RunStatus.FAILED, null, null, List.of(), List.of(), message);
    }

    public static RunOutcome cancelled(String message, Integer exitCode) {
        return new RunOutcome(RunStatus.CANCELLED, exitCode, null, List.of(), List.of(), message);
    }
}
