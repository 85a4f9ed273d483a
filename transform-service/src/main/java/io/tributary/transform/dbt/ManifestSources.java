package io.tributary.transform.dbt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.events.EventJson;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The source tables of a dbt {@code manifest.json} ({@code sources.<unique_id>}): only that part is
 * kept in memory, the rest is streamed past (a manifest is megabytes in a large project), and a
 * manifest that is not whole JSON is refused.
 */
public final class ManifestSources {
    private ManifestSources() {}

    /**
     * One source table.
     *
     * @param sourceName the {@code source_name} ({@code source('<sourceName>', …)})
     * @param name the table's name in dbt ({@code source(…, '<name>')})
     * @param schema the schema it is read from
     * @param identifier the table in the warehouse ({@code identifier}, else {@code name})
     */
    public record SourceTable(String sourceName, String name, String schema, String identifier) {
        /** True when this source reads the table {@code namespace.stream} (case-insensitive). */
        public boolean reads(String namespace, String stream) {
            return schema != null
                    && namespace != null
                    && identifier != null
                    && schema.equalsIgnoreCase(namespace)
                    && identifier.equalsIgnoreCase(stream);
        }
    }

    /** Reads every source table; throws when the input is not a whole JSON object. */
    public static List<SourceTable> read(InputStream json) throws IOException {
        List<SourceTable> tables = new ArrayList<>();
        try (JsonParser parser = EventJson.mapper().getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("manifest.json is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if ("sources".equals(field)) {
                    JsonNode sources = parser.readValueAsTree();
                    sources.forEach(s -> tables.add(table(s)));
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT) {
                throw new IOException("manifest.json is cut short");
            }
        }
        return tables;
    }

    private static SourceTable table(JsonNode s) {
        String name = s.path("name").asText(null);
        String identifier = s.path("identifier").asText(null);
        return new SourceTable(
                s.path("source_name").asText(null),
                name,
                s.path("schema").asText(null),
                identifier == null || identifier.isBlank() ? name : identifier);
    }
}
