package io.tributary.notifier.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.notifier.expectation.Expectation;
import io.tributary.notifier.expectation.ExpectationHistory;
import io.tributary.notifier.expectation.ExpectationService;
import io.tributary.notifier.expectation.ExpectationView;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;

/**
 * {@code /api/expectations}: CRUD of promises about freshness, deadlines and volume. Bodies are
 * read strictly (an unknown field is a 400); read tokens may GET, write tokens change.
 */
@Path("/api/expectations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ExpectationResource {

    @Inject ExpectationService service;

    /** Every expectation with where it stands (state, last kept, next deadline, missed since). */
    @GET
    public List<ExpectationView> list() {
        return service.statuses();
    }

    @GET
    @Path("/{id}")
    public ExpectationView get(@PathParam("id") String id) {
        return service.status(id);
    }

    /** The missed and recovered events raised about it, newest first. */
    @GET
    @Path("/{id}/history")
    public List<ExpectationHistory> history(
            @PathParam("id") String id, @QueryParam("limit") @DefaultValue("50") String limit) {
        // A String: JAX-RS answers a limit that is not a number with 404, we with a 400.
        return service.history(id, limit);
    }

    @POST
    public Response create(JsonNode body) {
        Expectation created = service.create(body);
        return Response.created(UriBuilder.fromPath("/api/expectations/{id}").build(created.id()))
                .entity(created)
                .build();
    }

    @PUT
    @Path("/{id}")
    public Expectation replace(@PathParam("id") String id, JsonNode body) {
        return service.replace(id, body);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        service.delete(id);
        return Response.noContent().build();
    }
}
