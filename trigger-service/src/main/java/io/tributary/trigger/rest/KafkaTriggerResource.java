package io.tributary.trigger.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.trigger.definition.DefinitionJson;
import io.tributary.trigger.definition.Definitions;
import io.tributary.trigger.definition.KafkaTriggerDefinition;
import io.tributary.trigger.kafka.KafkaTriggers;
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

/**
 * Kafka triggers: another system's topic requests syncs. Saving or deleting one starts or stops its
 * consumer at once (other instances follow within the reconcile period).
 */
@Path("/api/kafka-triggers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class KafkaTriggerResource {
    static final String BASE = "/api/kafka-triggers";

    @Inject Definitions definitions;
    @Inject KafkaTriggers triggers;

    @GET
    public List<JsonNode> list() {
        return definitions.kafkaTriggers().stream().map(KafkaTriggerDefinition::view).toList();
    }

    @GET
    @Path("/{id}")
    public JsonNode get(@PathParam("id") String id) {
        return definitions
                .kafkaTrigger(id)
                .orElseThrow(() -> DefinitionBodies.notFound("kafka trigger", id))
                .view();
    }

    @POST
    public Response create(JsonNode body) {
        KafkaTriggerDefinition def = DefinitionJson.read(body, KafkaTriggerDefinition.class);
        var saved = definitions.saveKafkaTrigger(def, true);
        triggers.reconcile();
        return DefinitionBodies.saved(saved, BASE, def.id(), get(def.id()));
    }

    @PUT
    @Path("/{id}")
    public Response put(@PathParam("id") String id, JsonNode body) {
        var saved =
                definitions.saveKafkaTrigger(
                        DefinitionBodies.withPathId(body, id, KafkaTriggerDefinition.class), false);
        triggers.reconcile();
        return DefinitionBodies.saved(saved, BASE, id, get(id));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        if (!definitions.deleteKafkaTrigger(id)) {
            throw DefinitionBodies.notFound("kafka trigger", id);
        }
        triggers.reconcile();
        return Response.noContent().build();
    }
}
