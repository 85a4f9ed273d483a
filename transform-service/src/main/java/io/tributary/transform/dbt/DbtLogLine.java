package io.tributary.transform.dbt;

/**
 * One line of dbt's {@code --log-format json} output (or a plain line that was not JSON).
 *
 * @param name the event name, e.g. {@code LogStartLine}; null for a plain line
 * @param level debug, info, warn or error
 * @param message the human text ({@code info.msg}), without terminal colours
 * @param uniqueId {@code data.node_info.unique_id} when the event is about a node
 * @param resourceType the node's resource type (model, test, seed, snapshot...)
 * @param nodeStatus the node's status this event reports ({@code node_info.node_status}, else
 *     {@code data.status})
 * @param executionTime seconds, on node result events
 */
public record DbtLogLine(
        String name,
        String level,
        String message,
        String uniqueId,
        String resourceType,
        String nodeStatus,
        Double executionTime) {

    /** A node started executing. */
    public boolean isNodeStart() {
        return uniqueId != null && "LogStartLine".equals(name);
    }

    /** A node reached its result (success, error, pass, fail, warn, skipped...). */
    public boolean isNodeResult() {
        return uniqueId != null
                && name != null
                && switch (name) {
                    case "LogModelResult",
                                    "LogTestResult",
                                    "LogSeedResult",
                                    "LogSnapshotResult",
                                    "LogNodeResult",
                                    "SkippingDetails" ->
                            true;
                    default -> false;
                };
    }

    public boolean isError() {
        return "error".equals(level);
    }
}
