package io.tributary.notifier.subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The subscription filters before CEL, still accepted (deprecated) in API bodies and the YAML file
 * as {@code filters} and translated to the equivalent CEL {@code filter} when saved: {@code
 * connections} scopes sync events, {@code transforms} scopes transform events (when only one of the
 * two is set, events of the other kind are excluded), {@code reasons} applies to failures only — a
 * sync failure's {@code reason}, or for a transform failure {@code node_failed} (dbt exit code 1)
 * or {@code dbt_failed}. The V7 migration translated stored subscriptions the same way.
 */
public record LegacyFilters(
        List<String> connections, List<String> transforms, List<String> reasons) {
    static final String NODE_FAILED = "node_failed";
    static final String DBT_FAILED = "dbt_failed";

    public LegacyFilters {
        connections = clean(connections);
        transforms = clean(transforms);
        reasons = clean(reasons);
    }

    public boolean isEmpty() {
        return connections.isEmpty() && transforms.isEmpty() && reasons.isEmpty();
    }

    /** The equivalent CEL condition over the event ({@code Conditions.EVENTS}); null when empty. */
    public String toCel() {
        List<String> parts = new ArrayList<>();
        String sync =
                "type.startsWith('io.tributary.sync.') && data.connectionId in "
                        + list(connections);
        String transform =
                "type.startsWith('io.tributary.transform.') && data.transformName in "
                        + list(transforms);
        if (!connections.isEmpty() && !transforms.isEmpty()) {
            parts.add("((" + sync + ") || (" + transform + "))");
        } else if (!connections.isEmpty()) {
            parts.add(sync);
        } else if (!transforms.isEmpty()) {
            parts.add(transform);
        }
        if (!reasons.isEmpty()) {
            List<String> syncReasons =
                    reasons.stream()
                            .filter(r -> !r.equals(NODE_FAILED) && !r.equals(DBT_FAILED))
                            .toList();
            parts.add(
                    syncReasons.isEmpty()
                            ? "type != 'io.tributary.sync.failed'"
                            : "(type != 'io.tributary.sync.failed' || data.reason in "
                                    + list(syncReasons)
                                    + ")");
            boolean node = reasons.contains(NODE_FAILED);
            boolean dbt = reasons.contains(DBT_FAILED);
            if (node && !dbt) {
                parts.add(
                        "(type != 'io.tributary.transform.failed'"
                                + " || (has(data.exitCode) && data.exitCode == 1))");
            } else if (dbt && !node) {
                parts.add(
                        "(type != 'io.tributary.transform.failed'"
                                + " || !has(data.exitCode) || data.exitCode != 1)");
            } else if (!node) {
                parts.add("type != 'io.tributary.transform.failed'");
            }
        }
        return parts.isEmpty() ? null : String.join(" && ", parts);
    }

    /** A CEL list of string literals. */
    static String list(List<String> values) {
        return values.stream()
                .map(LegacyFilters::literal)
                .collect(Collectors.joining(", ", "[", "]"));
    }

    static String literal(String value) {
        return "'"
                + value.replace("\\", "\\\\")
                        .replace("'", "\\'")
                        .replace("\n", "\\n")
                        .replace("\r", "\\r")
                + "'";
    }

    private static List<String> clean(List<String> values) {
        return values == null
                ? List.of()
                : values.stream().filter(v -> v != null && !v.isBlank()).map(String::trim).toList();
    }
}
