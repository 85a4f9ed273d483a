package io.tributary.sandbox;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One stream of a connection, as Airbyte's catalog describes it.
 *
 * @param namespace the source namespace (the schema the rows land in), or null for sources that
 *     have none (most APIs)
 * @param columns column name to JSON-schema type ("integer", "string", "number", ...), in order
 * @param cursorField the incremental cursor, or null for a full-refresh stream
 * @param primaryKey the primary-key column, or null
 */
public record SandboxStream(
        String namespace,
        String name,
        Map<String, String> columns,
        String cursorField,
        String primaryKey) {

    public SandboxStream {
        Objects.requireNonNull(name);
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    /** A full-refresh stream with an {@code id} and a {@code data} column. */
    public static SandboxStream of(String namespace, String name) {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("id", "integer");
        columns.put("data", "object");
        return new SandboxStream(namespace, name, columns, null, null);
    }

    public boolean incremental() {
        return cursorField != null;
    }
}
