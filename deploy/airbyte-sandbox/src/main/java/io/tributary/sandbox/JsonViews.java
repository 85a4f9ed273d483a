package io.tributary.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

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

    /** {@code ConnectionResponse}; a loading connection lists the three shop streams. */
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
        node.put("namespaceDefinition", "destination");
        node.put("prefix", "");
        ArrayNode streams = node.putObject("configurations").putArray("streams");
        if (c.loadsShopData()) {
            for (String stream : new String[] {"customers", "orders", "payments"}) {
                ObjectNode s = streams.addObject();
                s.put("name", stream);
                s.put("namespace", ShopDataLoader.SCHEMA);
                s.put("syncMode", "incremental_deduped_history");
                s.putArray("cursorField").add("updated_at");
                s.putArray("primaryKey").addArray().add("id");
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
}
