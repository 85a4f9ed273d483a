package io.tributary.trigger.definition;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a hook's deliveries are signed. */
public enum SignatureScheme {
    /** webhook-id / webhook-timestamp / webhook-signature "v1,<base64>"; whsec_ secrets. */
    STANDARD_WEBHOOKS,
    /** X-Hub-Signature-256 "sha256=<hex>" over the body; delivery id X-GitHub-Delivery. */
    GITHUB,
    /** Stripe-Signature "t=…,v1=<hex>" over "t.body"; the event id dedupes. */
    STRIPE,
    /** Hex HMAC-SHA256 over the body (or "timestamp.body") in a configurable header. */
    HMAC_SHA256;

    @JsonValue
    public String wire() {
        return WireEnum.name(this);
    }

    @JsonCreator
    public static SignatureScheme of(String value) {
        return WireEnum.parse(SignatureScheme.class, value);
    }
}
