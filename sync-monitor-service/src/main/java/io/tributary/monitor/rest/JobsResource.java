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
import io.tributary.monitor.messaging.SyncEventPublisher;
import io.tributary.support.ApiCaller;
import io.tributary.support.ApiException;
import io.tributary.support.ApiTokens;
import io.tributary.support.outbox.OutboxRepository;
import jakarta.inject.Inject;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    @Inject OutboxRepository outbox;

    @GET
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
            params.and("status", status.toLowerCase(Locale.ROOT));
        }
        String query = where.isEmpty() ? "1 = 1" : String.join(" and ", where);
        return QuarkusTransaction.requiringNew()
                .call(
                        () -> {
                            List<JobEntity> found =
                                    jobs.find(query, Sort.descending("createdAt", "jobId"), params)
                                            .page(0, limit)
                                            .list();
                            Map<Long, Instant> published = publishedAt(found);
                            return found.stream()
                                    .map(j -> JobView.of(j, null, published.get(j.jobId)))
                                    .toList();
                        });
    }

    @GET
    @Path("/{jobId}")
    @Operation(summary = "One job with the requests it served")
    public JobView get(@PathParam("jobId") String jobId) {
        long id = jobId(jobId);
        JobView view = QuarkusTransaction.requiringNew().call(() -> view(id));
        if (view == null) {
            throw ApiException.notFound("no job " + id + " is known to the monitor");
        }
        return view;
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
        return Response.accepted(QuarkusTransaction.requiringNew().call(() -> view(id))).build();
    }

    /** The job with its requests; null when the monitor does not track it. */
    private JobView view(long id) {
        JobEntity job = jobs.findById(id);
        return job == null
                ? null
                : JobView.of(job, requests.servedBy(id), publishedAt(List.of(job)).get(id));
    }

    /** When Kafka acknowledged the jobs' endings, as far as the outbox still knows. */
    private Map<Long, Instant> publishedAt(List<JobEntity> found) {
        Map<String, Long> byEventId = new HashMap<>();
        found.stream()
                .filter(JobEntity::isTerminal)
                .forEach(j -> byEventId.put(SyncEventPublisher.endingId(j.jobId), j.jobId));
        Map<Long, Instant> published = new HashMap<>();
        if (!byEventId.isEmpty()) {
            outbox.list("ceId in ?1 and publishedAt is not null", byEventId.keySet())
                    .forEach(e -> published.put(byEventId.get(e.ceId), e.publishedAt));
        }
        return published;
    }

    private static long jobId(String jobId) {
        try {
            return Long.parseLong(jobId);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("jobId must be an Airbyte job id (an integer)");
        }
    }
}
