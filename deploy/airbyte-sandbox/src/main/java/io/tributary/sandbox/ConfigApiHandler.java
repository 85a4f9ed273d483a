package io.tributary.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.util.UUID;

/**
 * The two operations of self-managed Airbyte's Configuration API ({@code /api/v1}, airbytehq/
 * airbyte-platform {@code airbyte-api/server-api/src/main/openapi/config.yaml}) that read
 * per-stream results: {@code connections/get} (the catalog) and {@code jobs/get} (attempts and
 * their stream stats). RPC style: every call is a POST with a JSON body. Auth, faults and counters
 * are the public API's; errors have the Configuration API's own body ({@code KnownExceptionInfo}).
 */
final class ConfigApiHandler {

    static final String CONNECTIONS_GET = "POST /v1/connections/get";
    static final String JOBS_GET = "POST /v1/jobs/get";

    private final AirbyteSandbox sandbox;

    ConfigApiHandler(AirbyteSandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** The counted endpoint: the spec's path ({@code /v1/...}, server {@code /api}). */
    static String endpoint(HttpMethod method, String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String key = method.name() + " /v1" + p;
        return key.equals(CONNECTIONS_GET) || key.equals(JOBS_GET) ? key : "? " + key;
    }

    JsonNode route(String endpoint, Buffer raw) {
        JsonNode body = body(raw);
        return switch (endpoint) {
            case CONNECTIONS_GET -> {
                UUID id = uuid(required(body, "connectionId"));
                SandboxConnection c;
                try {
                    c = sandbox.connectionInfo(id);
                } catch (ApiProblem notFound) {
                    throw ApiProblem.configNotFound(
                            id.toString(), "Could not find configuration for STANDARD_SYNC: " + id);
                }
                yield connection(c);
            }
            case JOBS_GET -> {
                JsonNode id = required(body, "id");
                if (!id.canConvertToLong()) {
                    throw ApiProblem.configInvalidInput("id must be an integer: " + id);
                }
                JobSnapshot job;
                try {
                    job = sandbox.job(id.asLong());
                } catch (ApiProblem notFound) {
                    throw ApiProblem.configNotFound(
                            id.asText(), "Could not find job with id: " + id.asLong());
                }
                yield job(job, sandbox.connectionInfo(job.connectionId()));
            }
            default -> throw ApiProblem.configNotFound(endpoint, "No such operation: " + endpoint);
        };
    }

    private static JsonNode body(Buffer raw) {
        try {
            JsonNode node = raw.length() == 0 ? null : JsonViews.JSON.readTree(raw.getBytes());
            if (node == null || !node.isObject()) {
                throw ApiProblem.configInvalidInput("The request body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ApiProblem.configInvalidInput("The request body is not valid JSON");
        }
    }

    private static JsonNode required(JsonNode body, String field) {
        if (!body.hasNonNull(field)) {
            throw ApiProblem.configInvalidInput(field + " is required");
        }
        return body.get(field);
    }

    private static UUID uuid(JsonNode value) {
        try {
            return UUID.fromString(value.asText());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.configInvalidInput("Invalid UUID: " + value.asText());
        }
    }

    // ---- views ----

    /** {@code ConnectionRead} with its {@code syncCatalog}: every stream selected. */
    static ObjectNode connection(SandboxConnection c) {
        ObjectNode node = JsonViews.JSON.createObjectNode();
        node.put("connectionId", c.connectionId().toString());
        node.put("name", c.name());
        node.put("namespaceDefinition", JsonViews.namespaceDefinition(c));
        node.put("prefix", "");
        node.put("sourceId", c.sourceId().toString());
        node.put("destinationId", c.destinationId().toString());
        node.putArray("operationIds");
        ArrayNode streams = node.putObject("syncCatalog").putArray("streams");
        for (SandboxStream s : c.streams()) {
            ObjectNode entry = streams.addObject();
            ObjectNode stream = entry.putObject("stream");
            stream.put("name", s.name());
            JsonViews.putIfSet(stream, "namespace", s.namespace());
            stream.set("jsonSchema", JsonViews.jsonSchema(s));
            ArrayNode modes = stream.putArray("supportedSyncModes").add("full_refresh");
            if (s.incremental()) {
                modes.add("incremental");
                stream.putArray("defaultCursorField").add(s.cursorField());
            }
            stream.put("sourceDefinedCursor", s.incremental());
            if (s.primaryKey() != null) {
                stream.putArray("sourceDefinedPrimaryKey").addArray().add(s.primaryKey());
            }
            ObjectNode config = entry.putObject("config");
            config.put("syncMode", s.incremental() ? "incremental" : "full_refresh");
            if (s.incremental()) {
                config.putArray("cursorField").add(s.cursorField());
            }
            config.put(
                    "destinationSyncMode", s.primaryKey() != null ? "append_dedup" : "overwrite");
            if (s.primaryKey() != null) {
                config.putArray("primaryKey").addArray().add(s.primaryKey());
            }
            config.put("aliasName", s.name());
            config.put("selected", true);
            config.put("suggested", true);
        }
        node.put("scheduleType", "manual");
        node.put("status", c.active() ? "active" : "inactive");
        node.put("breakingChange", false);
        node.put("nonBreakingChangesPreference", "ignore");
        node.put("created_at", c.createdAt().getEpochSecond());
        node.put("workspaceId", c.workspaceId().toString());
        node.putArray("tags");
        return node;
    }

    /** {@code JobInfoRead}: the job and its attempts, times in epoch seconds. */
    static ObjectNode job(JobSnapshot j, SandboxConnection c) {
        ObjectNode node = JsonViews.JSON.createObjectNode();
        ObjectNode job = node.putObject("job");
        job.put("id", j.jobId());
        job.put("configType", configType(j.jobType()));
        job.put("configId", j.connectionId().toString());
        ArrayNode enabled = job.putArray("enabledStreams");
        for (SandboxStream s : c.streams()) {
            ObjectNode d = enabled.addObject().put("name", s.name());
            JsonViews.putIfSet(d, "namespace", s.namespace());
        }
        job.put("createdAt", j.createdAt().getEpochSecond());
        job.put("updatedAt", j.updatedAt().getEpochSecond());
        if (!j.attemptHistory().isEmpty()) {
            job.put("startedAt", j.attemptHistory().get(0).createdAt().getEpochSecond());
        }
        // The Configuration API has no "queued": a queued job is still pending there.
        job.put("status", j.status() == JobStatus.QUEUED ? "pending" : j.status().json());
        ArrayNode attempts = node.putArray("attempts");
        for (AttemptSnapshot a : j.attemptHistory()) {
            ObjectNode info = attempts.addObject();
            info.set("attempt", attempt(a));
            info.put("logType", "formatted");
            info.putObject("logs").putArray("logLines");
        }
        return node;
    }

    private static ObjectNode attempt(AttemptSnapshot a) {
        ObjectNode node = JsonViews.JSON.createObjectNode();
        node.put("id", a.number());
        node.put("status", a.status());
        node.put("createdAt", a.createdAt().getEpochSecond());
        node.put("updatedAt", a.updatedAt().getEpochSecond());
        if (a.endedAt() != null) {
            node.put("endedAt", a.endedAt().getEpochSecond());
        }
        node.put("bytesSynced", a.bytes());
        node.put("recordsSynced", a.records());
        stats(node.putObject("totalStats"), a.records(), a.bytes());
        ArrayNode streams = node.putArray("streamStats");
        for (StreamStats s : a.streamStats()) {
            ObjectNode entry = streams.addObject();
            entry.put("streamName", s.name());
            JsonViews.putIfSet(entry, "streamNamespace", s.namespace());
            stats(entry.putObject("stats"), s.records(), s.bytes());
        }
        return node;
    }

    /** {@code AttemptStats}: the sandbox commits every record it emits. */
    private static void stats(ObjectNode node, long records, long bytes) {
        node.put("recordsEmitted", records);
        node.put("bytesEmitted", bytes);
        node.put("recordsCommitted", records);
        node.put("bytesCommitted", bytes);
    }

    /** {@code JobConfigType}: the public API's {@code reset} is {@code reset_connection} here. */
    static String configType(JobType type) {
        return switch (type) {
            case SYNC -> "sync";
            case RESET -> "reset_connection";
            case CLEAR -> "clear";
            case REFRESH -> "refresh";
        };
    }
}
