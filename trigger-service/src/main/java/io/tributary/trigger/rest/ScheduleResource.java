package io.tributary.trigger.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.support.schedule.Cron;
import io.tributary.trigger.definition.DefinitionJson;
import io.tributary.trigger.definition.Definitions;
import io.tributary.trigger.definition.ScheduleDefinition;
import io.tributary.trigger.definition.ScheduleState;
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
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Cron schedules. A schedule's answer adds {@code nextFireAt} (UTC), {@code nextFireTimes} (the
 * next five, in the schedule's zone with its offset) and {@code lastFireAt}.
 */
@Path("/api/schedules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ScheduleResource {
    static final String BASE = "/api/schedules";
    static final int SHOWN_FIRE_TIMES = 5;

    @Inject Definitions definitions;

    @GET
    public List<JsonNode> list() {
        return definitions.schedules().stream().map(ScheduleResource::view).toList();
    }

    @GET
    @Path("/{id}")
    public JsonNode get(@PathParam("id") String id) {
        return definitions
                .schedule(id)
                .map(ScheduleResource::view)
                .orElseThrow(() -> DefinitionBodies.notFound("schedule", id));
    }

    @POST
    public Response create(JsonNode body) {
        ScheduleDefinition def = DefinitionJson.read(body, ScheduleDefinition.class);
        var saved = definitions.saveSchedule(def, true, Instant.now());
        return DefinitionBodies.saved(saved, BASE, def.id(), get(def.id()));
    }

    @PUT
    @Path("/{id}")
    public Response put(@PathParam("id") String id, JsonNode body) {
        var saved =
                definitions.saveSchedule(
                        DefinitionBodies.withPathId(body, id, ScheduleDefinition.class),
                        false,
                        Instant.now());
        return DefinitionBodies.saved(saved, BASE, id, get(id));
    }

    /** Idempotent: 200 with the schedule; its next fire time is computed from now. */
    @POST
    @Path("/{id}/enable")
    @Consumes(MediaType.WILDCARD)
    public JsonNode enable(@PathParam("id") String id) {
        return setEnabled(id, true);
    }

    /** Idempotent: 200 with the schedule, which fires nothing until it is enabled again. */
    @POST
    @Path("/{id}/disable")
    @Consumes(MediaType.WILDCARD)
    public JsonNode disable(@PathParam("id") String id) {
        return setEnabled(id, false);
    }

    private JsonNode setEnabled(String id, boolean enabled) {
        if (!definitions.setScheduleEnabled(id, enabled, Instant.now())) {
            throw DefinitionBodies.notFound("schedule", id);
        }
        return get(id);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        if (!definitions.deleteSchedule(id)) {
            throw DefinitionBodies.notFound("schedule", id);
        }
        return Response.noContent().build();
    }

    static JsonNode view(ScheduleState state) {
        ObjectNode node = (ObjectNode) DefinitionJson.tree(state.definition());
        if (state.nextFireAt() != null) {
            node.put("nextFireAt", state.nextFireAt().toString());
        }
        if (state.lastFireAt() != null) {
            node.put("lastFireAt", state.lastFireAt().toString());
        }
        ArrayNode times = node.putArray("nextFireTimes");
        if (state.definition().isEnabled() && state.nextFireAt() != null) {
            Cron cron = state.definition().parsedCron();
            times.add(format(state.nextFireAt().atZone(cron.zone())));
            cron.upcoming(state.nextFireAt(), SHOWN_FIRE_TIMES - 1)
                    .forEach(t -> times.add(format(t)));
        }
        return node;
    }

    private static String format(ZonedDateTime t) {
        return t.toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
