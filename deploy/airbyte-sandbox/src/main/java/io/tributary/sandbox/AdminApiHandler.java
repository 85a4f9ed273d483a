package io.tributary.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code /sandbox/...} admin endpoints that script a standalone sandbox (documented in the
 * README). Never authenticated, faulted or counted: they are the test's hands, not Airbyte.
 */
final class AdminApiHandler {

    private final AirbyteSandbox sandbox;

    AdminApiHandler(AirbyteSandbox sandbox) {
        this.sandbox = sandbox;
    }

    void handle(HttpServerRequest req, String path) {
        req.body()
                .onSuccess(
                        body -> {
                            try {
                                JsonNode out = route(req.method().name(), path, body);
                                send(req, 200, out == null ? "{}" : out.toString());
                            } catch (ApiProblem p) {
                                send(req, p.status(), p.body());
                            } catch (IllegalArgumentException | IllegalStateException e) {
                                ObjectNode err = JsonViews.JSON.createObjectNode();
                                err.put("error", e.getMessage());
                                send(req, 400, err.toString());
                            }
                        });
    }

    private JsonNode route(String method, String path, Buffer raw) {
        JsonNode body = parse(raw);
        String[] seg = path.replaceAll("^/+|/+$", "").split("/");
        String route = method + " " + String.join("/", shape(seg));
        switch (route) {
            case "GET connections" -> {
                ArrayNode out = JsonViews.JSON.createArrayNode();
                for (SandboxConnection c : sandbox.connections()) {
                    out.add(describe(c));
                }
                return out;
            }
            case "POST connections" -> {
                AirbyteSandbox.ConnectionDraft draft =
                        sandbox.connection(required(body, "name").asText());
                if (body.hasNonNull("connectionId")) {
                    draft.id(UUID.fromString(body.get("connectionId").asText()));
                }
                if (body.path("active").isBoolean() && !body.get("active").asBoolean()) {
                    draft.inactive();
                }
                if (body.path("loadsShopData").asBoolean(false)) {
                    draft.loadsShopData();
                }
                if (body.has("script")) {
                    draft.script(script(body.get("script")));
                }
                if (body.has("streams")) {
                    draft.streams(streams(body.get("streams")));
                }
                return describe(sandbox.connectionInfo(draft.add()));
            }
            case "PUT connections/{id}/script" -> {
                UUID id = UUID.fromString(seg[1]);
                sandbox.script(id, script(body));
                return describe(sandbox.connectionInfo(id));
            }
            case "PUT connections/{id}/status" -> {
                UUID id = UUID.fromString(seg[1]);
                String status = required(body, "status").asText();
                if (!status.equals("active") && !status.equals("inactive")) {
                    throw new IllegalArgumentException("status must be active or inactive");
                }
                sandbox.setActive(id, status.equals("active"));
                return describe(sandbox.connectionInfo(id));
            }
            case "POST connections/{id}/jobs" -> {
                JobType type = JobType.parse(body.path("jobType").asText("sync"));
                if (type == null) {
                    throw new IllegalArgumentException("unknown jobType");
                }
                return job(sandbox.job(sandbox.startJobOutside(UUID.fromString(seg[1]), type)));
            }
            case "GET connections/{id}/jobs" -> {
                ArrayNode out = JsonViews.JSON.createArrayNode();
                sandbox.jobs(UUID.fromString(seg[1])).forEach(j -> out.add(job(j)));
                return out;
            }
            case "POST connections/{id}/complete" -> {
                return job(sandbox.completeNow(UUID.fromString(seg[1])));
            }
            case "POST jobs/{id}/finish" -> {
                long jobId = Long.parseLong(seg[1]);
                JobStatus status = JobStatus.parse(required(body, "status").asText());
                if (status == null) {
                    throw new IllegalArgumentException("unknown status");
                }
                return job(
                        status == JobStatus.FAILED && body.hasNonNull("message")
                                ? sandbox.failJob(jobId, body.get("message").asText())
                                : sandbox.finishJob(jobId, status));
            }
            case "POST faults" -> {
                Fault fault = fault(body);
                if (body.hasNonNull("window")) {
                    sandbox.faults().during(duration(body.get("window")), fault);
                } else if (body.hasNonNull("endpoint")) {
                    sandbox.faults()
                            .next(
                                    body.path("count").asInt(1),
                                    fault,
                                    body.get("endpoint").asText());
                } else {
                    sandbox.faults().next(body.path("count").asInt(1), fault);
                }
                return faultState();
            }
            case "GET faults" -> {
                return faultState();
            }
            case "DELETE faults" -> {
                sandbox.faults().clear();
                return faultState();
            }
            case "POST tokens/revoke" -> {
                sandbox.revokeAllTokens();
                return null;
            }
            case "GET counters" -> {
                return JsonViews.JSON.valueToTree(sandbox.callCounts());
            }
            case "DELETE counters" -> {
                sandbox.resetCounters();
                return null;
            }
            case "PUT time-compression" -> {
                sandbox.setTimeCompression(required(body, "factor").asDouble());
                return JsonViews.JSON.createObjectNode().put("factor", sandbox.timeCompression());
            }
            case "PUT webhook" -> {
                sandbox.setWebhookUrl(body.hasNonNull("url") ? body.get("url").asText() : null);
                return JsonViews.JSON.createObjectNode().put("url", sandbox.webhookUrl());
            }
            default -> throw ApiProblem.notFound("path", "/sandbox" + path);
        }
    }

    /** Replaces ids in a path with "{id}" so one switch can route it. */
    private static String[] shape(String[] seg) {
        String[] out = seg.clone();
        if (out.length >= 2 && (out[0].equals("connections") || out[0].equals("jobs"))) {
            out[1] = "{id}";
        }
        return out;
    }

    private static JsonNode parse(Buffer raw) {
        if (raw == null || raw.length() == 0) {
            return JsonViews.JSON.createObjectNode();
        }
        try {
            return JsonViews.JSON.readTree(raw.getBytes());
        } catch (Exception e) {
            throw new IllegalArgumentException("body is not JSON: " + e.getMessage());
        }
    }

    private static JsonNode required(JsonNode body, String field) {
        if (!body.hasNonNull(field)) {
            throw new IllegalArgumentException("missing field: " + field);
        }
        return body.get(field);
    }

    /**
     * {@code {"outcome": "succeed|fail|incomplete|hang|bad_data", "after": "PT2S" or seconds,
     * "rows", "bytes", "message", "failedAttempts", "pendingFor", "queuedFor", "resetDuration",
     * "streamRecords": {"orders": 42}}}.
     */
    static ConnectionScript script(JsonNode s) {
        String outcome = required(s, "outcome").asText().toLowerCase(Locale.ROOT);
        Duration after = s.has("after") ? duration(s.get("after")) : Duration.ofSeconds(1);
        long rows = s.path("rows").asLong(0);
        ConnectionScript script =
                switch (outcome) {
                    case "succeed" -> ConnectionScript.succeedAfter(after, rows);
                    case "fail" ->
                            ConnectionScript.failAfter(
                                            after, s.path("message").asText("Sync failed"))
                                    .withRows(rows);
                    case "incomplete" ->
                            ConnectionScript.incompleteThenSucceed(
                                    s.path("failedAttempts").asInt(1), after, rows);
                    case "hang" -> ConnectionScript.hangForever();
                    case "bad_data" -> ConnectionScript.badData(after, rows);
                    default -> throw new IllegalArgumentException("unknown outcome: " + outcome);
                };
        if (s.has("bytes")) {
            script = script.withBytes(s.get("bytes").asLong());
        }
        if (s.has("pendingFor")) {
            script = script.withPendingFor(duration(s.get("pendingFor")));
        }
        if (s.has("queuedFor")) {
            script = script.withQueuedFor(duration(s.get("queuedFor")));
        }
        if (s.has("resetDuration")) {
            script = script.withResetDuration(duration(s.get("resetDuration")));
        }
        if (s.has("streamRecords")) {
            Map<String, Long> records = new LinkedHashMap<>();
            s.get("streamRecords")
                    .fields()
                    .forEachRemaining(e -> records.put(e.getKey(), e.getValue().asLong()));
            script = script.withStreamRecords(records);
        }
        return script;
    }

    /**
     * {@code [{"name": "orders", "namespace": "raw_shop"?, "columns": {"id": "integer"}?,
     * "cursorField"?, "primaryKey"?}]}.
     */
    private static List<SandboxStream> streams(JsonNode array) {
        List<SandboxStream> out = new ArrayList<>();
        for (JsonNode s : array) {
            String namespace = s.hasNonNull("namespace") ? s.get("namespace").asText() : null;
            SandboxStream stream = SandboxStream.of(namespace, required(s, "name").asText());
            if (s.has("columns") || s.has("cursorField") || s.has("primaryKey")) {
                Map<String, String> columns = new LinkedHashMap<>();
                s.path("columns")
                        .fields()
                        .forEachRemaining(e -> columns.put(e.getKey(), e.getValue().asText()));
                stream =
                        new SandboxStream(
                                namespace,
                                stream.name(),
                                columns.isEmpty() ? stream.columns() : columns,
                                s.hasNonNull("cursorField") ? s.get("cursorField").asText() : null,
                                s.hasNonNull("primaryKey") ? s.get("primaryKey").asText() : null);
            }
            out.add(stream);
        }
        return out;
    }

    /** {@code {"type": "status|slow|drop", "status": 503, "delay": "PT5S"}}. */
    private static Fault fault(JsonNode f) {
        return switch (required(f, "type").asText()) {
            case "status" -> Fault.status(required(f, "status").asInt());
            case "slow" -> Fault.slow(duration(required(f, "delay")));
            case "drop" -> Fault.drop();
            default -> throw new IllegalArgumentException("unknown fault type");
        };
    }

    /** ISO-8601 ("PT2.5S") or a number of seconds. */
    static Duration duration(JsonNode node) {
        if (node.isNumber()) {
            return Duration.ofMillis(Math.round(node.asDouble() * 1000));
        }
        return Duration.parse(node.asText());
    }

    private ObjectNode faultState() {
        return JsonViews.JSON.createObjectNode().put("pending", sandbox.faults().pending());
    }

    private ObjectNode describe(SandboxConnection c) {
        ObjectNode node = JsonViews.connection(c);
        node.put("loadsShopData", c.loadsShopData());
        node.put("sourceName", c.sourceName());
        node.put("destinationName", c.destinationName());
        node.put("script", sandbox.script(c.connectionId()).toString());
        node.set("streams", JsonViews.JSON.valueToTree(c.streams()));
        return node;
    }

    private static ObjectNode job(JobSnapshot j) {
        ObjectNode node = JsonViews.job(j);
        node.put("attempts", j.attempts());
        node.set("streamStats", JsonViews.JSON.valueToTree(j.streamStats()));
        if (j.errorMessage() != null) {
            node.put("errorMessage", j.errorMessage());
        }
        return node;
    }

    private static void send(HttpServerRequest req, int status, String body) {
        req.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body);
    }
}
