package io.tributary.trigger.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.events.EventJson;
import io.tributary.events.JobType;
import io.tributary.support.ApiException;
import io.tributary.support.cel.Condition;
import io.tributary.support.cel.Conditions;
import io.tributary.support.webhooks.StandardWebhooks;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A webhook endpoint {@code POST /webhooks/{id}}: how its deliveries are signed, which connections
 * they sync and an optional filter on the payload.
 *
 * @param filter a CEL condition ({@link Conditions#WEBHOOKS}: {@code data} is the JSON body, {@code
 *     headers} the request headers by lower-case name); null: every delivery
 * @param secrets one or more secrets; a signature made with any of them is accepted (rotation: add
 *     the new one, let senders switch, remove the old one)
 * @param signatureHeader hmac-sha256 only: the header holding the hex signature (default
 *     X-Signature; an optional "sha256=" prefix is accepted)
 * @param timestampHeader hmac-sha256 only, optional: a header with Unix seconds, then the signed
 *     content is "timestamp.body" and the replay window applies
 * @param deliveryIdHeader hmac-sha256 only, optional: the header naming the delivery (default: the
 *     SHA-256 of the body dedupes)
 */
public record HookDefinition(
        String id,
        SignatureScheme scheme,
        List<String> secrets,
        String signatureHeader,
        String timestampHeader,
        String deliveryIdHeader,
        List<String> connectionIds,
        JobType jobType,
        String filter,
        Boolean enabled) {

    public static final int MIN_SECRET_BYTES = 24;
    public static final int MAX_SECRETS = 5;
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9-]{1,64}");

    public boolean isEnabled() {
        return enabled == null || enabled;
    }

    /** The same hook, enabled or disabled. */
    public HookDefinition withEnabled(boolean on) {
        return new HookDefinition(
                id,
                scheme,
                secrets,
                signatureHeader,
                timestampHeader,
                deliveryIdHeader,
                connectionIds,
                jobType,
                filter,
                on);
    }

    public JobType jobTypeOrDefault() {
        return jobType == null ? JobType.SYNC : jobType;
    }

    /** The compiled filter, or null when every delivery passes. */
    public Condition compiledFilter() {
        return filter == null ? null : Conditions.WEBHOOKS.compile(filter);
    }

    public String signatureHeaderOrDefault() {
        return signatureHeader == null ? "X-Signature" : signatureHeader;
    }

    /** Checks everything and returns the definition with normalized ids. */
    public HookDefinition validated() {
        Ids.requireDefinitionId(id);
        if (scheme == null) {
            throw ApiException.badRequest(
                    "scheme is required: standard-webhooks, github, stripe or hmac-sha256");
        }
        if (secrets == null || secrets.isEmpty()) {
            throw ApiException.badRequest("secrets must hold at least one secret");
        }
        if (secrets.size() > MAX_SECRETS) {
            throw ApiException.badRequest("secrets holds more than " + MAX_SECRETS + " secrets");
        }
        for (int i = 0; i < secrets.size(); i++) {
            if (keyBytes(secrets.get(i)) < MIN_SECRET_BYTES) {
                throw ApiException.badRequest(
                        "secrets["
                                + i
                                + "] is too short: at least "
                                + MIN_SECRET_BYTES
                                + " bytes"
                                + (scheme == SignatureScheme.STANDARD_WEBHOOKS
                                        ? " (base64 after the whsec_ prefix)"
                                        : ""));
            }
        }
        if (scheme != SignatureScheme.HMAC_SHA256
                && (signatureHeader != null
                        || timestampHeader != null
                        || deliveryIdHeader != null)) {
            throw ApiException.badRequest(
                    "signatureHeader, timestampHeader and deliveryIdHeader apply to hmac-sha256 only");
        }
        for (String h : new String[] {signatureHeader, timestampHeader, deliveryIdHeader}) {
            if (h != null && !HEADER.matcher(h).matches()) {
                throw ApiException.badRequest("header names must match " + HEADER.pattern());
            }
        }
        List<String> connections = Ids.requireConnections("connectionIds", connectionIds);
        return new HookDefinition(
                id,
                scheme,
                List.copyOf(secrets),
                signatureHeader,
                timestampHeader,
                deliveryIdHeader,
                connections,
                jobTypeOrDefault(),
                ConditionField.check("filter", filter, Conditions.WEBHOOKS),
                isEnabled());
    }

    /** The key length of a secret: base64-decoded for Standard Webhooks, UTF-8 bytes otherwise. */
    private int keyBytes(String secret) {
        if (secret == null) {
            return 0;
        }
        if (scheme == SignatureScheme.STANDARD_WEBHOOKS) {
            try {
                return StandardWebhooks.key(secret).length;
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(
                        "a standard-webhooks secret is whsec_ followed by base64");
            }
        }
        return secret.getBytes(StandardCharsets.UTF_8).length;
    }

    /** What the API shows: everything but the secrets, and how many there are. */
    public JsonNode view() {
        ObjectNode node = (ObjectNode) EventJson.tree(this);
        node.remove("secrets");
        node.put("secretCount", secrets == null ? 0 : secrets.size());
        node.put("url", "/webhooks/" + id);
        return node;
    }

    @Override
    public String toString() {
        // Records print every component: never the secrets.
        return "HookDefinition[id="
                + id
                + ", scheme="
                + scheme
                + ", connectionIds="
                + connectionIds
                + "]";
    }
}
