package io.tributary.trigger.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.trigger.definition.DefinitionJson;
import io.tributary.trigger.definition.Definitions;
import io.tributary.trigger.definition.RuleDefinition;
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

/** Event rules (chains and conditional syncs). A rule that would close a cycle is a 409. */
@Path("/api/rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RuleResource {
    static final String BASE = "/api/rules";

    @Inject Definitions definitions;

    @GET
    public List<RuleDefinition> list() {
        return definitions.rules();
    }

    @GET
    @Path("/{id}")
    public RuleDefinition get(@PathParam("id") String id) {
        return definitions.rule(id).orElseThrow(() -> DefinitionBodies.notFound("rule", id));
    }

    @POST
    public Response create(JsonNode body) {
        RuleDefinition def = DefinitionJson.read(body, RuleDefinition.class);
        var saved = definitions.saveRule(def, true);
        return DefinitionBodies.saved(saved, BASE, def.id(), get(def.id()));
    }

    @PUT
    @Path("/{id}")
    public Response put(@PathParam("id") String id, JsonNode body) {
        var saved =
                definitions.saveRule(
                        DefinitionBodies.withPathId(body, id, RuleDefinition.class), false);
        return DefinitionBodies.saved(saved, BASE, id, get(id));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        if (!definitions.deleteRule(id)) {
            throw DefinitionBodies.notFound("rule", id);
        }
        return Response.noContent().build();
    }
}
