package io.tributary.transform.rest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.support.ApiCaller;
import io.tributary.support.ApiException;
import io.tributary.support.ApiTokens;
import io.tributary.transform.definition.DefinitionRepository;
import io.tributary.transform.definition.DefinitionValidator;
import io.tributary.transform.definition.InvalidDefinitionException;
import io.tributary.transform.definition.TransformDefinition;
import io.tributary.transform.run.ManifestEntity;
import io.tributary.transform.run.ManifestRepository;
import io.tributary.transform.run.RunRepository;
import io.tributary.transform.run.RunService;
import io.tributary.transform.run.RunView;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import java.net.URI;
import java.util.List;
import org.jboss.logging.Logger;

/** Transform definitions (CRUD) and their runs. Bearer tokens: read to look, write to change. */
@Path("/api/transforms")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TransformResource {
    private static final Logger LOG = Logger.getLogger(TransformResource.class);

    /** The run whose manifest {@code GET /api/transforms/{name}/manifest} answers. */
    public static final String RUN_ID_HEADER = "Tributary-Run-Id";

    @Inject DefinitionRepository definitions;
    @Inject DefinitionValidator validator;
    @Inject RunService runs;
    @Inject ManifestRepository manifests;

    /** The answer to "run it now". */
    public record RunAccepted(
            String runId, String transformName, String status, boolean coalesced) {}

    @GET
    public List<TransformDefinition> list() {
        return QuarkusTransaction.requiringNew().call(definitions::all);
    }

    @POST
    public Response create(TransformDefinition body, @Context SecurityContext context) {
        validate(body);
        if (!QuarkusTransaction.requiringNew()
                .call(() -> definitions.insert(body, DefinitionRepository.Origin.API))) {
            throw ApiException.conflict("transform " + body.name() + " already exists");
        }
        LOG.infof("transform %s created by %s", body.name(), caller(context));
        return Response.created(URI.create("/api/transforms/" + body.name())).entity(body).build();
    }

    @GET
    @Path("/{name}")
    public TransformDefinition get(@PathParam("name") String name) {
        return find(name);
    }

    @PUT
    @Path("/{name}")
    public Response put(
            @PathParam("name") String name,
            TransformDefinition body,
            @Context SecurityContext context) {
        if (body == null) {
            throw ApiException.badRequest("a transform definition is required");
        }
        if (body.name() != null && !body.name().equals(name)) {
            throw ApiException.badRequest("the body's name differs from the path's");
        }
        TransformDefinition d = body.withName(name);
        validate(d);
        boolean created =
                QuarkusTransaction.requiringNew()
                        .call(() -> definitions.upsert(d, DefinitionRepository.Origin.API));
        LOG.infof("transform %s %s by %s", name, created ? "created" : "replaced", caller(context));
        return Response.status(created ? 201 : 200).entity(d).build();
    }

    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("name") String name, @Context SecurityContext context) {
        if (!QuarkusTransaction.requiringNew().call(() -> definitions.deleteById(name))) {
            throw ApiException.notFound("no transform " + name);
        }
        LOG.infof("transform %s deleted by %s", name, caller(context));
        return Response.noContent().build();
    }

    @POST
    @Path("/{name}/runs")
    public Response runNow(@PathParam("name") String name, @Context SecurityContext context) {
        RunRepository.Enqueued e = runs.runNow(find(name));
        LOG.infof("transform %s: run requested by %s", name, caller(context));
        return Response.accepted(
                        new RunAccepted(e.runId().toString(), name, "queued", e.coalesced()))
                .location(URI.create("/api/runs/" + e.runId()))
                .build();
    }

    /**
     * dbt's {@code manifest.json} of the transform's newest run that wrote one, as dbt wrote it;
     * header {@code Tributary-Run-Id} names that run.
     */
    @GET
    @Path("/{name}/manifest")
    @Produces(MediaType.APPLICATION_JSON)
    public Response manifest(@PathParam("name") String name) {
        ManifestEntity manifest =
                QuarkusTransaction.requiringNew()
                        .call(() -> manifests.newest(name))
                        .orElseThrow(
                                () ->
                                        ApiException.notFound(
                                                "no run of transform "
                                                        + name
                                                        + " has produced a dbt manifest"));
        StreamingOutput body = manifest::writeTo;
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE)
                .header(RUN_ID_HEADER, manifest.runId.toString())
                .lastModified(java.util.Date.from(manifest.createdAt))
                .build();
    }

    @GET
    @Path("/{name}/runs")
    public List<RunView> runs(
            @PathParam("name") String name, @QueryParam("limit") @DefaultValue("20") int limit) {
        find(name);
        if (limit < 1 || limit > 200) {
            throw ApiException.badRequest("limit must be between 1 and 200");
        }
        return runs.forTransform(name, limit);
    }

    private TransformDefinition find(String name) {
        return QuarkusTransaction.requiringNew()
                .call(() -> definitions.byName(name))
                .orElseThrow(() -> ApiException.notFound("no transform " + name));
    }

    private void validate(TransformDefinition d) {
        try {
            validator.validate(d);
        } catch (InvalidDefinitionException e) {
            throw new ApiException(400, "Invalid Transform", String.join("; ", e.problems()));
        }
    }

    static String caller(SecurityContext context) {
        return ApiTokens.caller(context).map(ApiCaller::name).orElse("anonymous");
    }
}
