package io.tributary.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates event data against the contract's JSON Schemas (draft 2020-12). Schemas are loaded from
 * the classpath: their {@code $id} URIs ({@link EventType#SCHEMA_BASE_URI}) are mapped to {@link
 * EventType#SCHEMA_PACKAGE}, so {@code $ref}s between them never touch the network.
 */
public final class EventSchemas {

    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(
                    SpecificationVersion.DRAFT_2020_12,
                    builder ->
                            builder.schemaIdResolvers(
                                            resolvers ->
                                                    resolvers.mapPrefix(
                                                            EventType.SCHEMA_BASE_URI,
                                                            "classpath:"
                                                                    + EventType.SCHEMA_PACKAGE))
                                    .schemaRegistryConfig(
                                            // 2020-12 treats "format" as a note by default; we
                                            // want bad dates, uuids and durations rejected.
                                            SchemaRegistryConfig.builder()
                                                    .formatAssertionsEnabled(true)
                                                    .build()));

    private static final Map<EventType, Schema> CACHE = new ConcurrentHashMap<>();

    private EventSchemas() {}

    /**
     * The schema errors of an event's data, each as "{@code <path>: <message>}"; empty when valid.
     */
    public static List<String> validate(EventType type, JsonNode data) {
        if (data == null) {
            return List.of("$: data is missing");
        }
        List<Error> errors = schema(type).validate(data);
        return errors.stream().map(Error::toString).toList();
    }

    /** Validates a record (or any value) as it would be serialized. */
    public static List<String> validateValue(EventType type, Object data) {
        return validate(type, EventJson.tree(data));
    }

    /** The compiled schema of a type (cached). */
    public static Schema schema(EventType type) {
        return CACHE.computeIfAbsent(
                type,
                t -> {
                    Schema schema =
                            REGISTRY.getSchema(SchemaLocation.of(t.dataSchema().toString()));
                    // Resolve $refs now so a broken schema fails here, not on the first message.
                    schema.initializeValidators();
                    return schema;
                });
    }
}
