package io.tributary.support;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** A resource for the tests of this module only. */
@Path("/api/samples")
@Produces(MediaType.APPLICATION_JSON)
public class SampleResource {

    public record Sample(@NotBlank String name, @Min(1) int size, Instant at, Duration every) {}

    @GET
    @Path("/{id}")
    public Map<String, Object> get(@PathParam("id") String id, @Context SecurityContext context) {
        if (id.equals("missing")) {
            throw ApiException.notFound("no sample " + id);
        }
        if (id.equals("boom")) {
            throw new IllegalStateException("internal detail that must not leak");
        }
        return Map.of(
                "id", id,
                "caller", ApiTokens.caller(context).map(ApiCaller::name).orElse("?"),
                "at", Instant.parse("2024-05-01T10:00:00Z"),
                "every", Duration.ofHours(6));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Sample create(@Valid Sample sample) {
        return sample;
    }
}
