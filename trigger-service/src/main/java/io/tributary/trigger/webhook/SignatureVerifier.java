package io.tributary.trigger.webhook;

import io.tributary.support.webhooks.Hmac;
import io.tributary.support.webhooks.StandardWebhooks;
import io.tributary.trigger.definition.HookDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Verifies a delivery's signature by the hook's scheme: Standard Webhooks through the shared {@link
 * StandardWebhooks}, GitHub, Stripe and generic HMAC here (they are not Standard Webhooks). Every
 * comparison is constant-time ({@link MessageDigest#isEqual}); a timestamp, where the scheme has
 * one, must lie within the tolerance in both directions. Nothing here logs: secrets and signatures
 * stay in memory.
 */
public final class SignatureVerifier {

    /**
     * Why a delivery was refused; {@code reason} is the metric tag, {@code detail} for the caller.
     */
    public record Failure(String reason, String detail) {}

    /** The outcome: a failure, or the delivery id the headers carry (null: take it elsewhere). */
    public record Result(Failure failure, String deliveryId) {
        static Result fail(String reason, String detail) {
            return new Result(new Failure(reason, detail), null);
        }

        static Result ok(String deliveryId) {
            return new Result(null, deliveryId);
        }

        public boolean ok() {
            return failure == null;
        }
    }

    public static final String GITHUB_SIGNATURE = "X-Hub-Signature-256";
    public static final String GITHUB_DELIVERY = "X-GitHub-Delivery";
    public static final String STRIPE_SIGNATURE = "Stripe-Signature";

    private static final int MAX_SIGNATURE_HEADER = 2048;

    private final Duration tolerance;

    public SignatureVerifier(Duration tolerance) {
        this.tolerance = tolerance;
    }

    /**
     * @param headers a header lookup (case-insensitive, null when absent)
     */
    public Result verify(
            HookDefinition hook, Function<String, String> headers, byte[] body, Instant now) {
        switch (hook.scheme()) {
            case STANDARD_WEBHOOKS:
                return standardWebhooks(hook, headers, body, now);
            case GITHUB:
                return github(hook, headers, body);
            case STRIPE:
                return stripe(hook, headers, body, now);
            case HMAC_SHA256:
                return hmac(hook, headers, body, now);
            default:
                throw new IllegalStateException("unknown scheme " + hook.scheme());
        }
    }

    /** Standard Webhooks: verified by the shared implementation (every secret, constant time). */
    private Result standardWebhooks(
            HookDefinition hook, Function<String, String> headers, byte[] body, Instant now) {
        String id = headers.apply(StandardWebhooks.ID);
        StandardWebhooks.Verification verification =
                StandardWebhooks.verify(
                        hook.secrets(),
                        id,
                        headers.apply(StandardWebhooks.TIMESTAMP),
                        headers.apply(StandardWebhooks.SIGNATURE),
                        body,
                        now,
                        tolerance);
        return verification.ok()
                ? Result.ok(id)
                : Result.fail(verification.reason(), verification.detail());
    }

    private Result github(HookDefinition hook, Function<String, String> headers, byte[] body) {
        String header = headers.apply(GITHUB_SIGNATURE);
        if (header == null) {
            return Result.fail("missing_signature", GITHUB_SIGNATURE + " is required");
        }
        if (!header.startsWith("sha256=")) {
            return Result.fail("bad_signature", "the signature does not match");
        }
        byte[] presented = hex(header.substring("sha256=".length()));
        boolean match = anySecretMatches(hook, body, presented);
        return match
                ? Result.ok(headers.apply(GITHUB_DELIVERY))
                : Result.fail("bad_signature", "the signature does not match");
    }

    private Result stripe(
            HookDefinition hook, Function<String, String> headers, byte[] body, Instant now) {
        String header = headers.apply(STRIPE_SIGNATURE);
        if (header == null) {
            return Result.fail("missing_signature", STRIPE_SIGNATURE + " is required");
        }
        if (header.length() > MAX_SIGNATURE_HEADER) {
            return Result.fail("bad_signature", "the signature does not match");
        }
        String timestamp = null;
        List<byte[]> presented = new ArrayList<>();
        for (String item : header.split(",")) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = item.substring(0, eq).trim();
            String value = item.substring(eq + 1).trim();
            if (key.equals("t")) {
                timestamp = value;
            } else if (key.equals("v1")) {
                byte[] sig = hex(value);
                if (sig != null) {
                    presented.add(sig);
                }
            }
        }
        if (timestamp == null || presented.isEmpty()) {
            return Result.fail("missing_signature", "Stripe-Signature needs t= and v1=");
        }
        Result stale = checkTimestamp(timestamp, now);
        if (stale != null) {
            return stale;
        }
        byte[] signed = concat(timestamp + ".", body);
        boolean match = false;
        for (String secret : hook.secrets()) {
            // Stripe uses the whole secret string, whsec_ included, as the key.
            byte[] expected = hmac(secret.getBytes(StandardCharsets.UTF_8), signed);
            for (byte[] p : presented) {
                match |= MessageDigest.isEqual(expected, p);
            }
        }
        // The delivery id is the event id in the body.
        return match
                ? Result.ok(null)
                : Result.fail("bad_signature", "the signature does not match");
    }

    private Result hmac(
            HookDefinition hook, Function<String, String> headers, byte[] body, Instant now) {
        String header = headers.apply(hook.signatureHeaderOrDefault());
        if (header == null) {
            return Result.fail(
                    "missing_signature", hook.signatureHeaderOrDefault() + " is required");
        }
        String value = header.trim();
        if (value.toLowerCase(Locale.ROOT).startsWith("sha256=")) {
            value = value.substring("sha256=".length());
        }
        byte[] signed = body;
        if (hook.timestampHeader() != null) {
            String timestamp = headers.apply(hook.timestampHeader());
            if (timestamp == null) {
                return Result.fail("missing_signature", hook.timestampHeader() + " is required");
            }
            Result stale = checkTimestamp(timestamp, now);
            if (stale != null) {
                return stale;
            }
            signed = concat(timestamp + ".", body);
        }
        boolean match = anySecretMatches(hook, signed, hex(value));
        if (!match) {
            return Result.fail("bad_signature", "the signature does not match");
        }
        String deliveryId =
                hook.deliveryIdHeader() == null ? null : headers.apply(hook.deliveryIdHeader());
        return Result.ok(deliveryId);
    }

    private static boolean anySecretMatches(HookDefinition hook, byte[] signed, byte[] presented) {
        boolean match = false;
        for (String secret : hook.secrets()) {
            byte[] expected = hmac(secret.getBytes(StandardCharsets.UTF_8), signed);
            // isEqual is constant-time for equal lengths; a null or short value simply fails.
            match |= presented != null && MessageDigest.isEqual(expected, presented);
        }
        return match;
    }

    private Result checkTimestamp(String timestamp, Instant now) {
        long seconds;
        try {
            if (timestamp.length() > 12) {
                throw new NumberFormatException();
            }
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Result.fail("bad_timestamp", "the timestamp is not Unix seconds");
        }
        long skew = Math.abs(now.getEpochSecond() - seconds);
        if (skew > tolerance.toSeconds()) {
            return Result.fail(
                    "stale_timestamp",
                    "the timestamp is outside the " + tolerance.toMinutes() + " minute tolerance");
        }
        return null;
    }

    private static byte[] hmac(byte[] key, byte[] content) {
        return Hmac.sha256(key, content);
    }

    private static byte[] hex(String value) {
        if (value == null || value.length() != 64) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(value.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] concat(String prefix, byte[] body) {
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }
}
