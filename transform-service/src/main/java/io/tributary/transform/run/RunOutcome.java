package io.tributary.transform.run;

import io.tributary.events.TransformEvent.NodeFailure;
import io.tributary.events.TransformEvent.Summary;
import io.tributary.transform.dbt.NodeResult;
import java.util.List;
import java.util.stream.Collectors;

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

    /**
     * How a dbt invocation that ended with {@code exit} went (dbt's exit codes: 0 ok, 1 nodes
     * failed, 2 dbt itself failed), the same for every runner that runs dbt.
     *
     * @param errors dbt's error lines, the last ones of which explain an exit code 1 or 2
     * @param lastLine the last line of its log
     */
    public static RunOutcome ofExit(
            int exit,
            Summary summary,
            List<NodeFailure> failures,
            List<NodeResult> nodes,
            List<String> errors,
            String lastLine) {
        return switch (exit) {
            case 0 -> new RunOutcome(RunStatus.SUCCEEDED, 0, summary, failures, nodes, null);
            case 1 ->
                    new RunOutcome(
                            RunStatus.FAILED,
                            1,
                            summary,
                            failures,
                            nodes,
                            failures.isEmpty()
                                    ? lastErrors(errors, "dbt reported a failure")
                                    : failures.size()
                                            + " node(s) failed: "
                                            + failures.stream()
                                                    .map(NodeFailure::uniqueId)
                                                    .collect(Collectors.joining(", ")));
            case 2 ->
                    new RunOutcome(
                            RunStatus.FAILED,
                            2,
                            summary,
                            failures,
                            nodes,
                            "dbt failed: " + lastErrors(errors, lastLine));
            default ->
                    new RunOutcome(
                            RunStatus.FAILED,
                            exit,
                            summary,
                            failures,
                            nodes,
                            "dbt exited with code " + exit + ": " + lastLine);
        };
    }

    /** The same outcome, its message followed by {@code suffix}. */
    public RunOutcome withMessageSuffix(String suffix) {
        return new RunOutcome(
                status,
                exitCode,
                summary,
                failures,
                nodes,
                message == null ? suffix.strip() : message + suffix);
    }

    private static String lastErrors(List<String> errors, String fallback) {
        synchronized (errors) {
            if (errors.isEmpty()) {
                return fallback;
            }
            return String.join(
                    " | ", errors.subList(Math.max(0, errors.size() - 3), errors.size()));
        }
    }

    public static RunOutcome cancelled(String message, Integer exitCode) {
        return new RunOutcome(RunStatus.CANCELLED, exitCode, null, List.of(), List.of(), message);
    }
}
