package io.tributary.trigger.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.trigger.definition.DefinitionJson;
import io.tributary.trigger.definition.Definitions;
import io.tributary.trigger.definition.HookDefinition;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Webhook definitions. Secrets are write-only: answers show how many there are, never them. */
@Path("/api/hooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class HookResource {
    static final String BASE = "/api/hooks";

    @Inject Definitions definitions;

    @GET
    public List<JsonNode> list() {
        return definitions.hooks().stream().map(HookDefinition::view).toList();
    }

    @GET
    @Path("/{id}")
    public JsonNode get(@PathParam("id") String id) {
        return definitions
                .hook(id)
                .map(HookDefinition::view)
                .orElseThrow(() -> DefinitionBodies.notFound("hook", id));
    }

    @POST
    public Response create(JsonNode body) {
        HookDefinition def = DefinitionJson.read(body, HookDefinition.class);
        var saved = definitions.saveHook(def, true);
        return DefinitionBodies.saved(saved, BASE, def.id(), get(def.id()));
    }

    /** Creates or replaces; leaving {@code secrets} out keeps the stored secrets. */
    @PUT
    @Path("/{id}")
    public Response put(@PathParam("id") String id, JsonNode body) {
        HookDefinition def = DefinitionBodies.withPathId(body, id, HookDefinition.class);
        var saved = definitions.saveHook(def, false);
        return DefinitionBodies.saved(saved, BASE, id, get(id));
    }

    /** Idempotent: 200 with the hook whatever its previous state. */
    @POST
    @Path("/{id}/enable")
    @Consumes(MediaType.WILDCARD)
    public JsonNode enable(@PathParam("id") String id) {
        return setEnabled(id, true);
    }

    /** Idempotent; deliveries to a disabled hook are refused with 403 and emit nothing. */
    @POST
    @Path("/{id}/disable")
    @Consumes(MediaType.WILDCARD)
    public JsonNode disable(@PathParam("id") String id) {
        return setEnabled(id, false);
    }

    private JsonNode setEnabled(String id, boolean enabled) {
        return definitions
                .setHookEnabled(id, enabled)
                .map(HookDefinition::view)
                .orElseThrow(() -> DefinitionBodies.notFound("hook", id));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        if (!definitions.deleteHook(id)) {
            throw DefinitionBodies.notFound("hook", id);
        }
        return Response.noContent().build();
    }
}
