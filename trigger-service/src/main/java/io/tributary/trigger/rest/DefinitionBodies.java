package io.tributary.trigger.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.support.ApiException;
import io.tributary.trigger.definition.DefinitionJson;
import io.tributary.trigger.definition.Saved;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Body handling shared by the definition resources. */
final class DefinitionBodies {
    private DefinitionBodies() {}

    /** The body as a definition whose id is the path's (an id in the body must agree). */
    static <T> T withPathId(JsonNode body, String id, Class<T> type) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        ObjectNode node = ((ObjectNode) body).deepCopy();
        JsonNode given = node.get("id");
        if (given != null && !given.isNull() && !given.asText().equals(id)) {
            throw ApiException.badRequest("the id in the body differs from the id in the path");
        }
        node.put("id", id);
        return DefinitionJson.read(node, type);
    }

    static Response saved(Saved saved, String base, String id, Object view) {
        if (saved == Saved.CREATED) {
            return Response.created(URI.create(base + "/" + id)).entity(view).build();
        }
        return Response.ok(view).build();
    }

    static ApiException notFound(String kind, String id) {
        return ApiException.notFound("no " + kind + " '" + shorten(id) + "'");
    }

    private static String shorten(String id) {
        String safe = id == null ? "" : id.replaceAll("[^A-Za-z0-9._-]", "?");
        return safe.length() > 100 ? safe.substring(0, 100) + "…" : safe;
    }
}
