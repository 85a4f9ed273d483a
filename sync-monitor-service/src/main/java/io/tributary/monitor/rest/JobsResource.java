package io.tributary.monitor.rest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.tributary.monitor.airbyte.AirbyteApiException;
import io.tributary.monitor.airbyte.AirbyteUnavailableException;
import io.tributary.monitor.job.JobCoordinator;
import io.tributary.monitor.job.JobEntity;
import io.tributary.monitor.job.JobPoller;
import io.tributary.monitor.job.JobRepository;
import io.tributary.monitor.job.SyncRequestRepository;
import io.tributary.support.ApiCaller;
import io.tributary.support.ApiException;
import io.tributary.support.ApiTokens;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The jobs the monitor runs or ran (bearer token, read scope), and an operator's cancel (write
 * scope).
 */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {

    @Inject JobRepository jobs;
    @Inject SyncRequestRepository requests;
    @Inject JobCoordinator coordinator;
    @Inject JobPoller poller;

    @GET
    @Transactional
    @Operation(
            summary =
                    "Jobs, newest first; status: an Airbyte status while running, else the ending")
    public List<JobView> list(
            @QueryParam("connectionId") String connectionId,
            @QueryParam("status") String status,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("limit must be between 1 and 1000");
        }
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (connectionId != null && !connectionId.isBlank()) {
            where.add("connectionId = :connectionId");
            params.and("connectionId", connectionId);
        }
        if (status != null && !status.isBlank()) {
            where.add(
                    "((phase = 'active' and airbyteStatus = :status)"
                            + " or (phase <> 'active' and coalesce(endingStatus, airbyteStatus) = :status))");
            params.and("status", status.toLowerCase(java.util.Locale.ROOT));
        }
        String query = where.isEmpty() ? "1 = 1" : String.join(" and ", where);
        return jobs
                .find(query, Sort.descending("createdAt", "jobId"), params)
                .page(0, limit)
                .list()
                .stream()
                .map(j -> JobView.of(j, null))
                .toList();
    }

    @GET
    @Path("/{jobId}")
    @Transactional
    @Operation(summary = "One job with the requests it served")
    public JobView get(@PathParam("jobId") String jobId) {
        long id = jobId(jobId);
        JobEntity job = jobs.findById(id);
        if (job == null) {
            throw ApiException.notFound("no job " + id + " is known to the monitor");
        }
        return JobView.of(job, requests.servedBy(id));
    }

    @POST
    @Path("/{jobId}/cancel")
    @Operation(
            summary =
                    "Cancels a running job (write scope): 202 with the job, whose ending then"
                            + " arrives as sync.cancelled; 409 once it has ended")
    public Response cancel(@PathParam("jobId") String jobId, @Context SecurityContext context) {
        long id = jobId(jobId);
        String caller = ApiTokens.caller(context).map(ApiCaller::name).orElse("anonymous");
        JobCoordinator.CancelRequest done;
        try {
            done = coordinator.cancel(id, caller);
        } catch (AirbyteUnavailableException e) {
            throw ApiException.unavailable("Airbyte is unreachable now; try again later");
        } catch (AirbyteApiException e) {
            throw new ApiException(
                    502,
                    "Bad Gateway",
                    "Airbyte refused to cancel job " + id + ": " + e.getMessage());
        }
        switch (done) {
            case UNKNOWN:
                throw ApiException.notFound("no job " + id + " is known to the monitor");
            case ENDED:
                throw ApiException.conflict("job " + id + " has already ended");
            case REQUESTED:
                // Look at it now rather than at its next check: the ending comes sooner.
                poller.checkSoon(id, "poll");
                break;
            default:
                break;
        }
        JobView view =
                QuarkusTransaction.requiringNew()
                        .call(() -> JobView.of(jobs.findById(id), requests.servedBy(id)));
        return Response.accepted(view).build();
    }

    private static long jobId(String jobId) {
        try {
            return Long.parseLong(jobId);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("jobId must be an Airbyte job id (an integer)");
        }
    }
}
