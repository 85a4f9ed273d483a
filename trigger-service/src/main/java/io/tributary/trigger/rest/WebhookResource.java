package io.tributary.trigger.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.events.EventIds;
import io.tributary.events.EventJson;
import io.tributary.events.SyncRequested;
import io.tributary.events.Trigger;
import io.tributary.events.TriggerKind;
import io.tributary.support.ApiException;
import io.tributary.support.Problems;
import io.tributary.support.cel.Condition;
import io.tributary.support.cel.Conditions;
import io.tributary.support.webhooks.StandardWebhooks;
import io.tributary.trigger.TriggerMetrics;
import io.tributary.trigger.config.TriggerConfig;
import io.tributary.trigger.definition.Definitions;
import io.tributary.trigger.definition.HookDefinition;
import io.tributary.trigger.definition.Ids;
import io.tributary.trigger.definition.SignatureScheme;
import io.tributary.trigger.messaging.SyncRequestPublisher;
import io.tributary.trigger.webhook.SignatureVerifier;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * {@code POST /webhooks/{hookId}}: checks size, hook, signature, enabled, JSON and filter, in that
 * order, then publishes one sync request per target connection once per delivery id, answering 202
 * once Kafka acknowledged them. Every refusal is a problem and emits nothing.
 */
@Path("/webhooks")
public class WebhookResource {
    private static final Logger LOG = Logger.getLogger(WebhookResource.class);

    @Inject Definitions definitions;
    @Inject SyncRequestPublisher publisher;
    @Inject TriggerMetrics metrics;
    @Inject TriggerConfig config;

    private SignatureVerifier verifier;

    SignatureVerifier verifier() {
        if (verifier == null) {
            verifier = new SignatureVerifier(config.signatureTolerance());
        }
        return verifier;
    }

    @POST
    @Path("/{hookId}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a signed webhook delivery")
    public Response receive(
            @PathParam("hookId") String hookId, byte[] body, @Context HttpHeaders headers) {
        long start = System.nanoTime();
        byte[] payload = body == null ? new byte[0] : body;
        if (payload.length > config.maxBodyBytes()) {
            return reject("too_large", BodyLimitFilter.tooLarge(config.maxBodyBytes()));
        }
        Optional<HookDefinition> found =
                Ids.isDefinitionId(hookId)
                        ? definitions.hookForDelivery(
                                hookId, start + config.publishTimeout().toNanos())
                        : Optional.empty();
        if (found.isEmpty()) {
            return reject("unknown_hook", 404, "Not Found", "no such webhook");
        }
        HookDefinition hook = found.get();
        String idHeader = deliveryIdHeader(hook);
        if (idHeader != null && !printableAscii(headers.getHeaderString(idHeader))) {
            // Before the signature: a sender that put such an id in the header would otherwise
            // see a 401 and look for a wrong secret.
            return reject(
                    "bad_delivery_id",
                    400,
                    "Bad Request",
                    "the " + idHeader + " header must be printable ASCII");
        }
        SignatureVerifier.Result verified =
                verifier().verify(hook, headers::getHeaderString, payload, Instant.now());
        if (!verified.ok()) {
            return reject(
                    verified.failure().reason(), 401, "Unauthorized", verified.failure().detail());
        }
        // After the signature: only the hook's own senders learn that it is switched off. Nothing
        // is claimed, so the sender's retry after the hook is enabled again is served.
        if (!hook.isEnabled()) {
            return reject("hook_disabled", 403, "Forbidden", "hook is disabled");
        }
        JsonNode json;
        try {
            json = EventJson.tree(payload);
        } catch (IllegalArgumentException e) {
            return reject("malformed_json", 400, "Malformed JSON", "the body is not valid JSON");
        }
        String deliveryId = deliveryId(hook, verified, headers, json, payload);
        if (!Ids.isDeliveryId(deliveryId)) {
            return reject(
                    "bad_delivery_id",
                    400,
                    "Bad Request",
                    deliveryId == null
                            ? "the delivery id is missing (" + deliveryIdSource(hook) + ")"
                            : "the delivery id must match " + Ids.DELIVERY_ID.pattern());
        }
        Condition filter = hook.compiledFilter();
        if (filter != null && !filter.test(filterVariables(json, headers))) {
            metrics.rejected("filtered");
            return Response.noContent().build();
        }
        List<SyncRequested> requests = requests(hook, deliveryId);
        SyncRequestPublisher.Outcome outcome;
        try {
            outcome = publisher.publishOnce(hook.id(), deliveryId, requests, start);
        } catch (ApiException e) {
            metrics.rejected("kafka_unavailable");
            throw e;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("hookId", hook.id());
        answer.put("deliveryId", deliveryId);
        answer.put("requestIds", outcome.requestIds());
        answer.put("duplicate", outcome.duplicate());
        if (!outcome.duplicate()) {
            LOG.infof(
                    "webhook %s delivery %s → %d sync request(s)",
                    hook.id(), deliveryId, requests.size());
        }
        return Response.status(outcome.duplicate() ? 200 : 202)
                .type(MediaType.APPLICATION_JSON)
                .entity(answer)
                .build();
    }

    /** The filter's variables: {@code data} (the body) and {@code headers} by lower-case name. */
    private static Map<String, Object> filterVariables(JsonNode json, HttpHeaders headers) {
        Map<String, String> byName = new LinkedHashMap<>();
        headers.getRequestHeaders()
                .forEach(
                        (name, values) ->
                                byName.put(
                                        name.toLowerCase(Locale.ROOT), String.join(",", values)));
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("data", Conditions.toCel(json));
        variables.put("headers", byName);
        return variables;
    }

    /** One request per target connection; ids derived from the delivery (stable across retries). */
    static List<SyncRequested> requests(HookDefinition hook, String deliveryId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<SyncRequested> requests = new ArrayList<>();
        for (String connectionId : hook.connectionIds()) {
            String requestId =
                    EventIds.derive(
                            "webhook",
                            hook.id(),
                            deliveryId,
                            connectionId,
                            hook.jobTypeOrDefault().wire());
            requests.add(
                    new SyncRequested(
                            requestId,
                            connectionId,
                            hook.jobTypeOrDefault(),
                            now,
                            new Trigger(TriggerKind.WEBHOOK, hook.id(), deliveryId),
                            requestId));
        }
        return requests;
    }

    private static String deliveryId(
            HookDefinition hook,
            SignatureVerifier.Result verified,
            HttpHeaders headers,
            JsonNode json,
            byte[] body) {
        if (hook.scheme() == SignatureScheme.STRIPE) {
            JsonNode id = json.get("id");
            return id != null && id.isTextual() ? id.asText() : null;
        }
        if (hook.scheme() == SignatureScheme.HMAC_SHA256 && hook.deliveryIdHeader() == null) {
            return "sha256-" + sha256(body);
        }
        return verified.deliveryId();
    }

    /** The header that carries the delivery id, or null when it comes from the body. */
    private static String deliveryIdHeader(HookDefinition hook) {
        switch (hook.scheme()) {
            case STANDARD_WEBHOOKS:
                return StandardWebhooks.ID;
            case GITHUB:
                return SignatureVerifier.GITHUB_DELIVERY;
            case HMAC_SHA256:
                return hook.deliveryIdHeader();
            default:
                return null;
        }
    }

    /** Absent, or only visible ASCII and spaces (what the id patterns are checked against). */
    static boolean printableAscii(String value) {
        if (value == null) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static String deliveryIdSource(HookDefinition hook) {
        switch (hook.scheme()) {
            case STANDARD_WEBHOOKS:
                return StandardWebhooks.ID;
            case GITHUB:
                return SignatureVerifier.GITHUB_DELIVERY;
            case STRIPE:
                return "the event's id";
            default:
                return hook.deliveryIdHeader();
        }
    }

    private Response reject(String reason, int status, String title, String detail) {
        return reject(reason, Problems.response(status, title, detail));
    }

    private Response reject(String reason, Response response) {
        metrics.rejected(reason);
        return response;
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
