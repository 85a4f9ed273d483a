package io.tributary.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Serves the Airbyte public API operations the sandbox simulates, after faults and auth. */
final class PublicApiHandler {

    private static final Pattern ORDER_BY = Pattern.compile("([a-zA-Z0-9]+)\\|(ASC|DESC)");
    private static final String RATE_LIMITED = "{\"message\":\"You are being rate limited.\"}";

    private final AirbyteSandbox sandbox;
    private final ConfigApiHandler config;

    PublicApiHandler(AirbyteSandbox sandbox) {
        this.sandbox = sandbox;
        this.config = new ConfigApiHandler(sandbox);
    }

    /**
     * One API call: {@code prefix} is "/api/public/v1", "/v1" or "/api/v1" (the Configuration API),
     * {@code path} what follows.
     */
    void handle(HttpServerRequest req, String prefix, String path) {
        String endpoint =
                isConfigApi(prefix)
                        ? ConfigApiHandler.endpoint(req.method(), path)
                        : endpoint(req.method(), path);
        // Read the body first: Vert.x would drop data that arrives while a fault delays us.
        req.body()
                .onSuccess(body -> applyFault(req, prefix, path, endpoint, body))
                .onFailure(e -> req.connection().close());
    }

    private void applyFault(
            HttpServerRequest req, String prefix, String path, String endpoint, Buffer body) {
        Fault fault = sandbox.faults().take(endpoint);
        if (fault == null) {
            serve(req, prefix, path, endpoint, body);
            return;
        }
        switch (fault.kind()) {
            case DROP -> {
                sandbox.counters().record(endpoint, 0);
                req.connection().close();
            }
            case STATUS -> {
                if (fault.status() == 429) {
                    reply(req, endpoint, 429, RATE_LIMITED);
                } else {
                    problem(req, endpoint, ApiProblem.serverError(fault.status()));
                }
            }
            case SLOW ->
                    sandbox.vertx()
                            .setTimer(
                                    Math.max(1, fault.delay().toMillis()),
                                    id -> serve(req, prefix, path, endpoint, body));
        }
    }

    private void serve(
            HttpServerRequest req, String prefix, String path, String endpoint, Buffer body) {
        try {
            switch (endpoint) {
                case "GET /health" ->
                        reply(req, endpoint, 200, "text/plain", "Successful operation");
                case "POST /applications/token" -> token(req, endpoint, body);
                default -> {
                    if (endpoint.startsWith("? ")) {
                        throw isConfigApi(prefix)
                                ? ApiProblem.configNotFound(path, "No such operation: " + path)
                                : ApiProblem.notFound("path", path);
                    }
                    if (!authorized(req)) {
                        throw ApiProblem.invalidApiKey();
                    }
                    json(req, endpoint, 200, route(req, prefix, path, endpoint, body));
                }
            }
        } catch (ApiProblem p) {
            problem(req, endpoint, p);
        }
    }

    private JsonNode route(
            HttpServerRequest req, String prefix, String path, String endpoint, Buffer body) {
        if (isConfigApi(prefix)) {
            return config.route(endpoint, body);
        }
        String base = req.scheme() + "://" + req.host() + prefix;
        return switch (endpoint) {
            case "GET /workspaces" -> workspaces(req.params(), base);
            case "GET /workspaces/{workspaceId}" ->
                    workspace(uuid(lastSegment(path), "workspaceId"));
            case "GET /connections" ->
                    perConnection(req.params(), base + "/connections", JsonViews::connection);
            case "GET /connections/{connectionId}" ->
                    JsonViews.connection(
                            sandbox.engine().connection(uuid(lastSegment(path), "connectionId")));
            case "GET /sources" ->
                    perConnection(req.params(), base + "/sources", JsonViews::source);
            case "GET /sources/{sourceId}" ->
                    JsonViews.source(
                            owner(
                                    "source",
                                    uuid(lastSegment(path), "sourceId"),
                                    SandboxConnection::sourceId));
            case "GET /destinations" ->
                    perConnection(req.params(), base + "/destinations", JsonViews::destination);
            case "GET /destinations/{destinationId}" ->
                    JsonViews.destination(
                            owner(
                                    "destination",
                                    uuid(lastSegment(path), "destinationId"),
                                    SandboxConnection::destinationId));
            case "POST /jobs" -> createJob(body);
            case "GET /jobs" -> listJobs(req.params(), base);
            case "GET /jobs/{jobId}" -> JsonViews.job(sandbox.engine().job(jobId(path)));
            case "DELETE /jobs/{jobId}" -> JsonViews.job(sandbox.engine().cancel(jobId(path)));
            default -> throw ApiProblem.notFound("path", path);
        };
    }

    /** The spec's operation for a call, as counted; "? METHOD path" when none matches. */
    static String endpoint(HttpMethod method, String path) {
        String p =
                path.endsWith("/") && path.length() > 1
                        ? path.substring(0, path.length() - 1)
                        : path;
        String m = method.name();
        String template =
                switch (p) {
                    case "/health",
                                    "/applications/token",
                                    "/workspaces",
                                    "/connections",
                                    "/sources",
                                    "/destinations",
                                    "/jobs" ->
                            p;
                    default -> {
                        if (p.matches("/jobs/[^/]+")) {
                            yield "/jobs/{jobId}";
                        } else if (p.matches("/connections/[^/]+")) {
                            yield "/connections/{connectionId}";
                        } else if (p.matches("/workspaces/[^/]+")) {
                            yield "/workspaces/{workspaceId}";
                        } else if (p.matches("/sources/[^/]+")) {
                            yield "/sources/{sourceId}";
                        } else if (p.matches("/destinations/[^/]+")) {
                            yield "/destinations/{destinationId}";
                        }
                        yield null;
                    }
                };
        String key = template == null ? null : m + " " + template;
        boolean known =
                key != null
                        && switch (key) {
                            case "GET /health",
                                            "POST /applications/token",
                                            "GET /workspaces",
                                            "GET /workspaces/{workspaceId}",
                                            "GET /connections",
                                            "GET /connections/{connectionId}",
                                            "GET /sources",
                                            "GET /sources/{sourceId}",
                                            "GET /destinations",
                                            "GET /destinations/{destinationId}",
                                            "POST /jobs",
                                            "GET /jobs",
                                            "GET /jobs/{jobId}",
                                            "DELETE /jobs/{jobId}" ->
                                    true;
                            default -> false;
                        };
        return known ? key : "? " + m + " " + p;
    }

    // ---- auth ----

    private boolean authorized(HttpServerRequest req) {
        SandboxAuth auth = sandbox.auth();
        String header = req.getHeader("Authorization");
        return switch (auth.mode()) {
            case NONE -> true;
            case BASIC -> {
                String expected =
                        Base64.getEncoder()
                                .encodeToString(
                                        (auth.id() + ":" + auth.secret())
                                                .getBytes(StandardCharsets.UTF_8));
                yield header != null && header.equals("Basic " + expected);
            }
            case CLIENT_CREDENTIALS ->
                    header != null
                            && header.regionMatches(true, 0, "Bearer ", 0, 7)
                            && sandbox.tokens().isValid(header.substring(7).trim());
        };
    }

    private void token(HttpServerRequest req, String endpoint, Buffer body) {
        String contentType = String.valueOf(req.getHeader("Content-Type"));
        Map<String, String> fields = new HashMap<>();
        try {
            if (contentType.startsWith("application/x-www-form-urlencoded")) {
                for (String pair : body.toString(StandardCharsets.UTF_8).split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        fields.put(
                                URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                                URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
            } else {
                JsonNode node = JsonViews.JSON.readTree(body.getBytes());
                if (node != null) {
                    node.fields()
                            .forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
                }
            }
        } catch (Exception e) {
            throw ApiProblem.badRequest("Invalid data");
        }
        String clientId = fields.get("client_id");
        String secret = fields.get("client_secret");
        if (clientId == null || secret == null) {
            throw ApiProblem.badRequest("client_id and client_secret are required");
        }
        SandboxAuth auth = sandbox.auth();
        if (auth.mode() == SandboxAuth.Mode.CLIENT_CREDENTIALS
                && !(auth.id().equals(clientId) && auth.secret().equals(secret))) {
            // Airbyte's InvalidClientCredentialsExceptionHandler answers only an error id.
            reply(req, endpoint, 401, "{\"errorId\":\"" + UUID.randomUUID() + "\"}");
            return;
        }
        ObjectNode out = JsonViews.JSON.createObjectNode();
        out.put("access_token", sandbox.tokens().issue(clientId, sandbox.tokenLifetime()));
        out.put("token_type", "Bearer");
        out.put("expires_in", sandbox.advertisedExpiresIn().toSeconds());
        json(req, endpoint, 200, out);
    }

    // ---- operations ----

    private JsonNode workspaces(MultiMap q, String base) {
        int limit = intParam(q, "limit", 20, 1, 100);
        int offset = intParam(q, "offset", 0, 0, Integer.MAX_VALUE);
        List<UUID> ids = uuidList(q, "workspaceIds");
        SandboxWorkspace w = sandbox.workspace();
        List<JsonNode> all = new ArrayList<>();
        if (ids.isEmpty() || ids.contains(w.id())) {
            all.add(JsonViews.workspace(w, sandbox.webhookUrl()));
        }
        return page(all, offset, limit, base + "/workspaces", new LinkedHashMap<>());
    }

    private JsonNode workspace(UUID id) {
        SandboxWorkspace w = sandbox.workspace();
        if (!w.id().equals(id)) {
            throw ApiProblem.notFound("workspace", id.toString());
        }
        return JsonViews.workspace(w, sandbox.webhookUrl());
    }

    /**
     * A page of connections, or of their sources or destinations (each connection has its own),
     * filtered by {@code workspaceIds}.
     */
    private JsonNode perConnection(
            MultiMap q, String url, Function<SandboxConnection, ObjectNode> view) {
        int limit = intParam(q, "limit", 20, 1, 100);
        int offset = intParam(q, "offset", 0, 0, Integer.MAX_VALUE);
        List<UUID> ids = uuidList(q, "workspaceIds");
        List<SandboxConnection> all = new ArrayList<>();
        for (SandboxConnection c : sandbox.engine().connections()) {
            if (ids.isEmpty() || ids.contains(c.workspaceId())) {
                all.add(c);
            }
        }
        Map<String, String> keep = new LinkedHashMap<>();
        if (q.get("workspaceIds") != null) {
            keep.put("workspaceIds", String.join(",", q.getAll("workspaceIds")));
        }
        // Only the page is rendered: with thousands of connections, rendering them all for every
        // page made listing them quadratic.
        int from = Math.min(offset, all.size());
        List<SandboxConnection> page = all.subList(from, Math.min(all.size(), from + limit));
        ObjectNode out = pageLinks(page.size(), offset, limit, url, keep);
        ArrayNode data = out.putArray("data");
        page.forEach(c -> data.add(view.apply(c)));
        return out;
    }

    /** The connection whose source (or destination) has {@code id}; 404 when none. */
    private SandboxConnection owner(String kind, UUID id, Function<SandboxConnection, UUID> field) {
        for (SandboxConnection c : sandbox.engine().connections()) {
            if (field.apply(c).equals(id)) {
                return c;
            }
        }
        throw ApiProblem.notFound(kind, id.toString());
    }

    private static ObjectNode page(
            List<JsonNode> all, int offset, int limit, String url, Map<String, String> keep) {
        int from = Math.min(offset, all.size());
        List<JsonNode> data = all.subList(from, Math.min(all.size(), from + limit));
        ObjectNode out = pageLinks(data.size(), offset, limit, url, keep);
        out.putArray("data").addAll(data);
        return out;
    }

    /**
     * {@code next}/{@code previous} as Airbyte's {@code PaginationMapper} fills them: "" when there
     * is no such page; {@code next} only when this page is full.
     */
    private static ObjectNode pageLinks(
            int pageSize, int offset, int limit, String url, Map<String, String> keep) {
        ObjectNode out = JsonViews.JSON.createObjectNode();
        StringBuilder query = new StringBuilder(url).append('?');
        keep.forEach(
                (k, v) ->
                        query.append(k)
                                .append('=')
                                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))
                                .append('&'));
        query.append("limit=").append(limit).append("&offset=");
        out.put("previous", offset != 0 ? query.toString() + Math.max(0, offset - limit) : "");
        out.put(
                "next",
                pageSize > 0 && pageSize >= limit ? query.toString() + (offset + limit) : "");
        return out;
    }

    private JsonNode createJob(Buffer body) {
        JsonNode node;
        try {
            node = JsonViews.JSON.readTree(body.getBytes());
        } catch (Exception e) {
            throw ApiProblem.badRequest("The request body is not valid JSON");
        }
        if (node == null || !node.hasNonNull("connectionId") || !node.hasNonNull("jobType")) {
            throw ApiProblem.badRequest("connectionId and jobType are required");
        }
        UUID connectionId = uuid(node.get("connectionId").asText(), "connectionId");
        JobType type = JobType.parse(node.get("jobType").asText());
        if (type == null) {
            throw ApiProblem.badRequest("Unknown jobType: " + node.get("jobType").asText());
        }
        return JsonViews.job(sandbox.engine().create(connectionId, type));
    }

    private JsonNode listJobs(MultiMap q, String base) {
        int limit = intParam(q, "limit", 20, 1, 100);
        int offset = intParam(q, "offset", 0, 0, Integer.MAX_VALUE);
        Map<String, String> keep = new LinkedHashMap<>();
        UUID connectionId = null;
        if (q.get("connectionId") != null) {
            connectionId = uuid(q.get("connectionId"), "connectionId");
            keep.put("connectionId", q.get("connectionId"));
        }
        Predicate<JobSnapshot> filter = j -> true;
        String status = q.get("status");
        if (status != null) {
            JobStatus s = JobStatus.parse(status);
            if (s == null) {
                throw ApiProblem.badRequest("Unknown status: " + status);
            }
            filter = filter.and(j -> j.status() == s);
            keep.put("status", status);
        }
        String jobType = q.get("jobType");
        if (jobType != null) {
            JobType t = JobType.parse(jobType);
            if (t == null) {
                throw ApiProblem.badRequest("Unknown jobType: " + jobType);
            }
            filter = filter.and(j -> j.jobType() == t);
            keep.put("jobType", jobType);
        }
        filter = filter.and(range(q, keep, "createdAtStart", JobSnapshot::createdAt, true));
        filter = filter.and(range(q, keep, "createdAtEnd", JobSnapshot::createdAt, false));
        filter = filter.and(range(q, keep, "updatedAtStart", JobSnapshot::updatedAt, true));
        filter = filter.and(range(q, keep, "updatedAtEnd", JobSnapshot::updatedAt, false));
        Comparator<JobSnapshot> order = order(q.get("orderBy"));
        if (q.get("orderBy") != null) {
            keep.put("orderBy", q.get("orderBy"));
        }
        List<JobSnapshot> data = sandbox.engine().list(connectionId, filter, order, offset, limit);
        ObjectNode out = pageLinks(data.size(), offset, limit, base + "/jobs", keep);
        ArrayNode array = out.putArray("data");
        data.forEach(j -> array.add(JsonViews.job(j)));
        return out;
    }

    /** Default {@code createdAt|ASC}, as Airbyte's {@code JobsHelper}; ties break on job id. */
    private static Comparator<JobSnapshot> order(String orderBy) {
        if (orderBy == null) {
            return Comparator.comparing(JobSnapshot::createdAt).thenComparing(JobSnapshot::jobId);
        }
        Matcher m = ORDER_BY.matcher(orderBy);
        if (!m.matches()) {
            throw ApiProblem.badRequest("Invalid order by clause provided: " + orderBy);
        }
        Comparator<JobSnapshot> c =
                switch (m.group(1)) {
                    case "createdAt" -> Comparator.comparing(JobSnapshot::createdAt);
                    case "updatedAt" -> Comparator.comparing(JobSnapshot::updatedAt);
                    default -> throw ApiProblem.badRequest("Invalid order by field: " + m.group(1));
                };
        c = c.thenComparing(JobSnapshot::jobId);
        return m.group(2).equals("DESC") ? c.reversed() : c;
    }

    private static Predicate<JobSnapshot> range(
            MultiMap q,
            Map<String, String> keep,
            String name,
            Function<JobSnapshot, Instant> field,
            boolean start) {
        String value = q.get(name);
        if (value == null) {
            return j -> true;
        }
        keep.put(name, value);
        Instant bound = instant(value, name);
        return start ? j -> !field.apply(j).isBefore(bound) : j -> !field.apply(j).isAfter(bound);
    }

    /** RFC 3339 date-times, or epoch milliseconds as in the spec's examples. */
    private static Instant instant(String value, String name) {
        try {
            if (value.matches("\\d+")) {
                return Instant.ofEpochMilli(Long.parseLong(value));
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ApiProblem.badRequest("Invalid date-time for " + name + ": " + value);
        }
    }

    // ---- parameters ----

    private static int intParam(MultiMap q, String name, int dflt, int min, int max) {
        String v = q.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw ApiProblem.badRequest(name + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(name + " must be an integer: " + v);
        }
    }

    private static List<UUID> uuidList(MultiMap q, String name) {
        List<UUID> out = new ArrayList<>();
        for (String v : q.getAll(name)) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(uuid(part.trim(), name));
                }
            }
        }
        return out;
    }

    private static UUID uuid(String value, String name) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("Invalid UUID for " + name + ": " + value);
        }
    }

    private static long jobId(String path) {
        String id = lastSegment(path);
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("Invalid jobId: " + id);
        }
    }

    private static String lastSegment(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return URLDecoder.decode(p.substring(p.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
    }

    private static boolean isConfigApi(String prefix) {
        return prefix.equals(AirbyteSandbox.CONFIG_PREFIX);
    }

    // ---- replies ----

    private void problem(HttpServerRequest req, String endpoint, ApiProblem p) {
        reply(req, endpoint, p.status(), p.body());
    }

    private void json(HttpServerRequest req, String endpoint, int status, JsonNode body) {
        reply(req, endpoint, status, body.toString());
    }

    private void reply(HttpServerRequest req, String endpoint, int status, String body) {
        reply(req, endpoint, status, "application/json", body);
    }

    private void reply(
            HttpServerRequest req, String endpoint, int status, String contentType, String body) {
        sandbox.counters().record(endpoint, status);
        req.response().setStatusCode(status).putHeader("Content-Type", contentType).end(body);
    }
}
