package io.tributary.transform.dbt;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.events.EventJson;
import io.tributary.events.TransformEvent.NodeFailure;
import io.tributary.events.TransformEvent.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * dbt's {@code run_results.json}: per-node results, their summary and the failing nodes.
 *
 * @param dbtVersion {@code metadata.dbt_version}
 * @param elapsedSeconds {@code elapsed_time}
 */
public record RunResults(String dbtVersion, Double elapsedSeconds, List<NodeResult> nodes) {

    /** Reads {@code <target>/run_results.json}; empty when dbt did not write it (exit code 2). */
    public static Optional<RunResults> read(Path targetDir) {
        Path file = targetDir.resolve("run_results.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(EventJson.tree(Files.readAllBytes(file))));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static RunResults parse(JsonNode root) {
        List<NodeResult> nodes = new ArrayList<>();
        for (JsonNode r : root.path("results")) {
            JsonNode adapter = r.path("adapter_response");
            nodes.add(
                    new NodeResult(
                            r.path("unique_id").asText(),
                            r.path("status").asText(),
                            r.path("execution_time").isNumber()
                                    ? r.path("execution_time").asDouble()
                                    : null,
                            adapter.path("rows_affected").isNumber()
                                    ? adapter.path("rows_affected").asLong()
                                    : null,
                            r.path("failures").isNumber() ? r.path("failures").asLong() : null,
                            r.path("message").isNull() || r.path("message").isMissingNode()
                                    ? null
                                    : r.path("message").asText()));
        }
        JsonNode version = root.path("metadata").path("dbt_version");
        JsonNode elapsed = root.path("elapsed_time");
        return new RunResults(
                version.isTextual() ? version.asText() : null,
                elapsed.isNumber() ? elapsed.asDouble() : null,
                List.copyOf(nodes));
    }

    /**
     * Counts by status. Project hooks ({@code operation.*}) count only when they did not succeed:
     * the summary is about the project's nodes.
     */
    public Summary summary() {
        return summarize(nodes);
    }

    public static Summary summarize(List<NodeResult> nodes) {
        int success = 0, error = 0, skipped = 0, pass = 0, fail = 0, warn = 0;
        for (NodeResult n : nodes) {
            String status = n.status() == null ? "" : n.status();
            if (n.uniqueId().startsWith("operation.") && status.equals("success")) {
                continue;
            }
            switch (status) {
                case "success" -> success++;
                case "error", "runtime error" -> error++;
                case "skipped" -> skipped++;
                case "pass" -> pass++;
                case "fail" -> fail++;
                case "warn" -> warn++;
                default -> {}
            }
        }
        return new Summary(success, error, skipped, pass, fail, warn);
    }

    /** The nodes that errored or failed, with dbt's message. */
    public List<NodeFailure> failures() {
        return nodes.stream()
                .filter(NodeResult::failed)
                .map(n -> new NodeFailure(n.uniqueId(), n.status(), n.message()))
                .toList();
    }
}
