package io.tributary.transform.dbt;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.events.EventJson;
import java.util.regex.Pattern;

/**
 * Reads dbt's structured log lines leniently: a line that is not a dbt JSON event (a Python
 * warning, a usage error) becomes a plain {@link DbtLogLine} carrying the text.
 */
public final class DbtLogParser {
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");

    private DbtLogParser() {}

    public static DbtLogLine parse(String line) {
        String trimmed = line.strip();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode event = EventJson.tree(trimmed);
                JsonNode info = event.path("info");
                if (info.isObject()) {
                    JsonNode data = event.path("data");
                    JsonNode node = data.path("node_info");
                    // node_status is dbt's verdict (success, error, pass, fail...); data.status
                    // of a model result is the adapter's answer (e.g. "CREATE VIEW").
                    String status = text(node.path("node_status"));
                    if (status == null) {
                        status = text(data.path("status"));
                    }
                    JsonNode time = data.path("execution_time");
                    return new DbtLogLine(
                            text(info.path("name")),
                            text(info.path("level")),
                            clean(text(info.path("msg"))),
                            text(node.path("unique_id")),
                            text(node.path("resource_type")),
                            status,
                            time.isNumber() ? time.asDouble() : null);
                }
            } catch (IllegalArgumentException notJson) {
                // falls through: kept as text
            }
        }
        return new DbtLogLine(null, "info", clean(line), null, null, null, null);
    }

    static String clean(String text) {
        return text == null ? "" : ANSI.matcher(text).replaceAll("");
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.isNull() && !node.asText().isEmpty()
                ? node.asText()
                : null;
    }
}
