package io.tributary.trigger.rest;

import io.tributary.events.EventContract;
import io.tributary.events.EventType;
import io.tributary.support.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;

/**
 * The Kafka contract, public like {@code /q/openapi}: the AsyncAPI 3.0 document at {@code
 * /asyncapi.yaml} and the JSON Schema of each event's data at {@code /schemas/<name>.json} (where
 * the document's relative {@code $ref}s point) and at {@code /schemas/events/<name>.json} (the path
 * of each schema's {@code $id} and of {@code ce_dataschema}).
 */
@Path("/")
public class ContractResource {

    @GET
    @Path("asyncapi.yaml")
    @Produces("application/yaml")
    public String asyncApi() {
        return EventContract.asyncApiYaml();
    }

    @GET
    @Path("schemas/{name}.json")
    @Produces("application/schema+json")
    public Response schema(@PathParam("name") String name) {
        return Response.ok(schemaOf(name)).build();
    }

    @GET
    @Path("schemas/events/{name}.json")
    @Produces("application/schema+json")
    public Response eventSchema(@PathParam("name") String name) {
        return schema(name);
    }

    private static String schemaOf(String name) {
        return Arrays.stream(EventType.values())
                .filter(t -> t.schemaResource().endsWith("/" + name + ".json"))
                .findFirst()
                .map(EventContract::schemaJson)
                .orElseThrow(() -> ApiException.notFound("no event schema '" + name + "'"));
    }
}
