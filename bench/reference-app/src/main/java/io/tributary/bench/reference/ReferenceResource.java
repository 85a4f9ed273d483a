package io.tributary.bench.reference;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The two reference endpoints of the ingest benchmark. B: verify, send, 202 after the ack. C: the
 * same after one dedupe insert (a duplicate answers 200 and sends nothing). Neither blocks a thread
 * while Kafka acknowledges; B runs on the event loop, C's insert on a worker.
 */
@Path("/ref")
@Consumes(MediaType.WILDCARD)
public class ReferenceResource {
    @Inject ReferenceConfig config;
    @Inject Sender sender;
    @Inject Deliveries deliveries;

    private volatile Signature signature;

    @POST
    @Path("/b/{hookId}")
    public CompletionStage<Response> b(
            @PathParam("hookId") String hookId,
            @HeaderParam("webhook-id") String id,
            @HeaderParam("webhook-timestamp") String timestamp,
            @HeaderParam("webhook-signature") String signatureHeader,
            byte[] body) {
        if (!signature().verify(id, timestamp, signatureHeader, body, Instant.now())) {
            return answer(401);
        }
        return send(hookId, id, body);
    }

    @POST
    @Path("/c/{hookId}")
    @Blocking
    public CompletionStage<Response> c(
            @PathParam("hookId") String hookId,
            @HeaderParam("webhook-id") String id,
            @HeaderParam("webhook-timestamp") String timestamp,
            @HeaderParam("webhook-signature") String signatureHeader,
            byte[] body)
            throws SQLException {
        if (!signature().verify(id, timestamp, signatureHeader, body, Instant.now())) {
            return answer(401);
        }
        if (!deliveries.claim(hookId, id)) {
            return answer(200);
        }
        return send(hookId, id, body);
    }

    private CompletionStage<Response> send(String hookId, String id, byte[] body) {
        return sender.send(hookId, id, body)
                .orTimeout(
                        config.ackTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((ok, error) -> Response.status(error == null ? 202 : 503).build());
    }

    private static CompletionStage<Response> answer(int status) {
        return CompletableFuture.completedFuture(Response.status(status).build());
    }

    private Signature signature() {
        if (signature == null) {
            signature = new Signature(config.secret(), config.signatureTolerance());
        }
        return signature;
    }
}
