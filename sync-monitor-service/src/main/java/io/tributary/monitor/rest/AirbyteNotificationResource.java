package io.tributary.monitor.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.monitor.config.MonitorConfig;
import io.tributary.monitor.job.JobCoordinator;
import io.tributary.monitor.job.JobPoller;
import io.tributary.support.ApiException;
import io.tributary.support.Secrets;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * Airbyte's own success/failure webhook ({@code {text, blocks, data{jobId, success, ...}}}). It is
 * unsigned and fires once, so it is only a hint: the job list is looked at at once (one look serves
 * a burst of hints), and Airbyte's answer decides; a hinted job the look does not show ended is
 * checked with {@code GET /jobs/{id}}. The secret in the path is compared in constant time; a wrong
 * one gets 404, as if the endpoint did not exist.
 */
@Path("/airbyte/notifications/{secret}")
public class AirbyteNotificationResource {
    private static final Logger LOG = Logger.getLogger(AirbyteNotificationResource.class);

    @Inject MonitorConfig config;
    @Inject JobPoller poller;
    @Inject JobCoordinator coordinator;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Airbyte webhook notification (a hint: the job is checked at once)")
    public Response notify(@PathParam("secret") String secret, JsonNode body) {
        if (!matches(secret)) {
            throw ApiException.notFound("no such notification endpoint");
        }
        JsonNode data = body == null ? null : body.path("data");
        JsonNode jobIdNode = data == null ? null : data.get("jobId");
        if (jobIdNode == null || !jobIdNode.canConvertToLong() && !jobIdNode.isTextual()) {
            return Response.accepted().build(); // e.g. Airbyte's "test notification"
        }
        long jobId;
        try {
            jobId = jobIdNode.isNumber() ? jobIdNode.asLong() : Long.parseLong(jobIdNode.asText());
        } catch (NumberFormatException e) {
            return Response.accepted().build();
        }
        boolean success = data.path("success").asBoolean(true);
        String message = success ? null : data.path("errorMessage").asText(null);
        LOG.debugf("Airbyte says job %s ended (success=%s): looking now", jobId, (Object) success);
        if (message != null) {
            coordinator.noteFailureMessage(jobId, message); // kept only on a job we track
        }
        // No database work here: hints come as fast as jobs end, and the look ignores the jobs
        // we do not track.
        poller.hinted(jobId);
        return Response.accepted().build();
    }

    private boolean matches(String presented) {
        return Secrets.matches(config.notificationSecret().orElse(null), presented);
    }
}
