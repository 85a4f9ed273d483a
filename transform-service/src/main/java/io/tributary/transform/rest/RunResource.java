package io.tributary.transform.rest;

import io.tributary.support.ApiException;
import io.tributary.transform.run.Retries;
import io.tributary.transform.run.RunService;
import io.tributary.transform.run.RunView;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One run: its status, nodes and log tail; {@code DELETE} cancels it; {@code POST …/retry} queues a
 * {@code dbt retry} of its failed and skipped nodes.
 */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {
    private static final Logger LOG = Logger.getLogger(RunResource.class);
    @Inject RunService runs;
    @Inject Retries retries;

    /** The answer to a retry request. */
    public record RetryQueued(String runId, String status, String retryOf) {}

    /** The answer to a cancel request. */
    public record CancelAccepted(String runId, String status, String message) {}

    @GET
    @Path("/{runId}")
    public RunView get(@PathParam("runId") String runId) {
        return runs.view(id(runId)).orElseThrow(() -> ApiException.notFound("no run " + runId));
    }

    @DELETE
    @Path("/{runId}")
    public Response cancel(@PathParam("runId") String runId, @Context SecurityContext context) {
        String caller = TransformResource.caller(context);
        switch (runs.cancel(id(runId), caller)) {
            case NOT_FOUND:
                throw ApiException.notFound("no run " + runId);
            case ALREADY_FINISHED:
                throw ApiException.conflict("run " + runId + " has already finished");
            case CANCELLED_QUEUED:
                return Response.ok(
                                new CancelAccepted(
                                        runId, "cancelled", "cancelled before it started"))
                        .build();
            default:
                return Response.accepted(
                                new CancelAccepted(
                                        runId, "running", "cancelling: dbt is being stopped"))
                        .build();
        }
    }

    @POST
    @Path("/{runId}/retry")
    public Response retry(@PathParam("runId") String runId, @Context SecurityContext context) {
        Retries.Requested r = retries.request(id(runId));
        if (r.notFound()) {
            throw ApiException.notFound("no run " + runId);
        }
        if (r.runId().isEmpty()) {
            throw ApiException.conflict(r.conflict());
        }
        LOG.infof(
                "run %s: retry requested by %s, queued as %s",
                runId, TransformResource.caller(context), r.runId().get());
        return Response.accepted(new RetryQueued(r.runId().get().toString(), "queued", runId))
                .build();
    }

    private static UUID id(String runId) {
        try {
            return UUID.fromString(runId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no run " + runId);
        }
    }
}
