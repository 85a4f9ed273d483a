package io.tributary.trigger.rest;

import io.tributary.events.EventIds;
import io.tributary.events.JobType;
import io.tributary.events.SyncRequested;
import io.tributary.events.Trigger;
import io.tributary.events.TriggerKind;
import io.tributary.support.ApiCaller;
import io.tributary.support.ApiException;
import io.tributary.support.ApiTokens;
import io.tributary.trigger.definition.Ids;
import io.tributary.trigger.messaging.SyncRequestPublisher;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/syncs}: on-demand sync requests, answered after Kafka acknowledged them. {@code
 * jobTypes: ["reset", "sync"]} requests a reset then a sync of each connection, in that order; an
 * {@code Idempotency-Key} header makes a retried call answer with the original request ids.
 */
@Path("/api/syncs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SyncResource {

    /** The body: {@code jobType} (default sync) or {@code jobTypes} (in order), not both. */
    public record SyncCommand(
            List<String> connectionIds, JobType jobType, List<JobType> jobTypes, String reason) {}

    @Inject SyncRequestPublisher publisher;

    @POST
    public Response request(
            SyncCommand command,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @Context SecurityContext context) {
        if (command == null) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        List<String> connections = Ids.requireConnections("connectionIds", command.connectionIds());
        if (command.jobType() != null && command.jobTypes() != null) {
            throw ApiException.badRequest("give jobType or jobTypes, not both");
        }
        List<JobType> jobTypes =
                command.jobTypes() != null
                        ? command.jobTypes()
                        : List.of(command.jobType() == null ? JobType.SYNC : command.jobType());
        if (jobTypes.isEmpty()
                || jobTypes.size() > 3
                || jobTypes.stream().anyMatch(java.util.Objects::isNull)) {
            throw ApiException.badRequest("jobTypes must list 1 to 3 of sync, reset, clear");
        }
        String reason = command.reason();
        if (reason != null
                && (reason.length() > 500 || reason.chars().anyMatch(Character::isISOControl))) {
            throw ApiException.badRequest(
                    "reason must be at most 500 characters, without control characters");
        }
        if (idempotencyKey != null && !Ids.isDeliveryId(idempotencyKey)) {
            throw ApiException.badRequest(
                    "Idempotency-Key must match " + Ids.DELIVERY_ID.pattern());
        }
        String caller = ApiTokens.caller(context).map(ApiCaller::name).orElse("anonymous");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<SyncRequested> requests = new ArrayList<>();
        for (String connectionId : connections) {
            for (int i = 0; i < jobTypes.size(); i++) {
                JobType jobType = jobTypes.get(i);
                String requestId =
                        idempotencyKey == null
                                ? EventIds.random()
                                : EventIds.derive(
                                        "manual",
                                        caller,
                                        idempotencyKey,
                                        connectionId,
                                        jobType.wire(),
                                        Integer.toString(i));
                requests.add(
                        new SyncRequested(
                                requestId,
                                connectionId,
                                jobType,
                                now,
                                new Trigger(TriggerKind.MANUAL, caller, reason),
                                requestId));
            }
        }
        List<String> ids;
        boolean duplicate = false;
        if (idempotencyKey == null) {
            ids = publisher.publish(requests);
        } else {
            SyncRequestPublisher.Outcome outcome =
                    publisher.publishOnce("api:" + caller, idempotencyKey, requests);
            ids = outcome.requestIds();
            duplicate = outcome.duplicate();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("requestIds", ids);
        answer.put("duplicate", duplicate);
        return Response.status(duplicate ? 200 : 202).entity(answer).build();
    }
}
