package io.tributary.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.UUID;

/** Renders sandbox state as the Airbyte public API's JSON schemas. */
final class JsonViews {

    static final ObjectMapper JSON = new ObjectMapper();

    private JsonViews() {}

    /**
     * Airbyte's time format: whole seconds through {@code OffsetDateTime.toString()}, which drops
     * ":00" seconds ("2024-01-01T00:00Z"). Clients must parse both forms; so do we.
     */
    static String time(Instant instant) {
        return OffsetDateTime.ofInstant(
                        Instant.ofEpochSecond(instant.getEpochSecond()), ZoneOffset.UTC)
                .toString();
    }

    /** {@code JobResponse}, filled the way Airbyte's {@code JobResponseMapper} fills it. */
    static ObjectNode job(JobSnapshot job) {
        ObjectNode node = JSON.createObjectNode();
        node.put("jobId", job.jobId());
        node.put("status", job.status().json());
        node.put("jobType", job.jobType().json());
        node.put("startTime", time(job.createdAt()));
        node.put("connectionId", job.connectionId().toString());
        if (job.status().isTerminal()) {
            node.put("lastUpdatedAt", time(job.updatedAt()));
        }
        if (job.status() != JobStatus.PENDING) {
            node.put(
                    "duration",
                    Duration.ofSeconds(
                                    job.updatedAt().getEpochSecond()
                                            - job.createdAt().getEpochSecond())
                            .toString());
        }
        if (job.bytesSynced() != null) {
            node.put("bytesSynced", job.bytesSynced());
        }
        if (job.rowsSynced() != null) {
            node.put("rowsSynced", job.rowsSynced());
        }
        return node;
    }

    /** {@code ConnectionResponse}, listing the connection's streams. */
    static ObjectNode connection(SandboxConnection c) {
        ObjectNode node = JSON.createObjectNode();
        node.put("connectionId", c.connectionId().toString());
        node.put("name", c.name());
        node.put("sourceId", c.sourceId().toString());
        node.put("destinationId", c.destinationId().toString());
        node.put("workspaceId", c.workspaceId().toString());
        node.put("status", c.active() ? "active" : "inactive");
        node.putObject("schedule").put("scheduleType", "manual");
        node.put("nonBreakingSchemaUpdatesBehavior", "ignore");
        node.put("namespaceDefinition", namespaceDefinition(c));
        node.put("prefix", "");
        ArrayNode streams = node.putObject("configurations").putArray("streams");
        for (SandboxStream stream : c.streams()) {
            ObjectNode s = streams.addObject();
            s.put("name", stream.name());
            putIfSet(s, "namespace", stream.namespace());
            s.put(
                    "syncMode",
                    stream.incremental()
                            ? "incremental_deduped_history"
                            : "full_refresh_overwrite");
            if (stream.incremental()) {
                s.putArray("cursorField").add(stream.cursorField());
            }
            if (stream.primaryKey() != null) {
                s.putArray("primaryKey").addArray().add(stream.primaryKey());
            }
        }
        node.put("createdAt", c.createdAt().getEpochSecond());
        node.putArray("tags");
        return node;
    }

    /** {@code WorkspaceResponse}, showing the webhook the sandbox notifies. */
    static ObjectNode workspace(SandboxWorkspace w, String webhookUrl) {
        ObjectNode node = JSON.createObjectNode();
        node.put("workspaceId", w.id().toString());
        node.put("name", w.name());
        node.put("dataResidency", "auto");
        ObjectNode notifications = node.putObject("notifications");
        for (String trigger : new String[] {"failure", "success"}) {
            ObjectNode config = notifications.putObject(trigger);
            config.putObject("email").put("enabled", false);
            ObjectNode hook = config.putObject("webhook");
            hook.put("enabled", webhookUrl != null);
            if (webhookUrl != null) {
                hook.put("url", webhookUrl);
            }
        }
        return node;
    }

    /**
     * {@code SourceResponse}: each connection has its own source, named from the connection
     * ("stripe" for "stripe → postgres"). A shop that loads data reads a Postgres database; other
     * sources take their type from their name. The configuration holds no secret field at all.
     */
    static ObjectNode source(SandboxConnection c) {
        String type = c.loadsShopData() ? "postgres" : actorType(c.sourceName());
        ObjectNode node = JSON.createObjectNode();
        node.put("sourceId", c.sourceId().toString());
        node.put("name", c.sourceName());
        node.put("sourceType", type);
        node.put("definitionId", definitionId("source", type).toString());
        node.put("workspaceId", c.workspaceId().toString());
        ObjectNode config = node.putObject("configuration");
        if (c.loadsShopData()) {
            config.put("sourceType", "postgres");
            postgres(config, "shop").putArray("schemas").add(ShopDataLoader.SCHEMA);
        } else {
            config.put("start_date", "2024-01-01T00:00:00Z");
        }
        node.put("createdAt", c.createdAt().getEpochSecond());
        return node;
    }

    /**
     * {@code DestinationResponse}: the sandbox only writes to Postgres (see {@link
     * ShopDataLoader}), so every destination is one, named from the connection.
     */
    static ObjectNode destination(SandboxConnection c) {
        ObjectNode node = JSON.createObjectNode();
        node.put("destinationId", c.destinationId().toString());
        node.put("name", c.destinationName());
        node.put("destinationType", "postgres");
        node.put("definitionId", definitionId("destination", "postgres").toString());
        node.put("workspaceId", c.workspaceId().toString());
        ObjectNode config = node.putObject("configuration");
        config.put("destinationType", "postgres");
        postgres(config, "warehouse").put("schema", "public");
        node.put("createdAt", c.createdAt().getEpochSecond());
        return node;
    }

    /** Postgres connection settings without the password (Airbyte never shows secrets). */
    private static ObjectNode postgres(ObjectNode config, String database) {
        config.put("host", "localhost");
        config.put("port", 5432);
        config.put("database", database);
        config.put("username", "airbyte");
        return config;
    }

    /** The connector type, from a name: "legacy crm" is "legacy-crm", "Postgres" "postgres". */
    static String actorType(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        slug = slug.replaceAll("^-|-$", "");
        return slug.isEmpty() ? "custom" : slug;
    }

    private static UUID definitionId(String kind, String type) {
        return UUID.nameUUIDFromBytes(
                (kind + "-definition:" + type).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code source} when the streams have namespaces (the rows land in them, as the shop's land in
     * {@code raw_shop}), else {@code destination} (the destination's default schema).
     */
    static String namespaceDefinition(SandboxConnection c) {
        return c.streams().stream().anyMatch(s -> s.namespace() != null) ? "source" : "destination";
    }

    static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /** A stream's JSON schema, as a source's catalog declares it. */
    static ObjectNode jsonSchema(SandboxStream stream) {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        stream.columns()
                .forEach(
                        (column, type) -> {
                            ObjectNode p = properties.putObject(column);
                            switch (type) {
                                case "date", "date-time" -> {
                                    p.put("type", "string");
                                    p.put("format", type);
                                }
                                default -> p.put("type", type);
                            }
                        });
        return schema;
    }
}
