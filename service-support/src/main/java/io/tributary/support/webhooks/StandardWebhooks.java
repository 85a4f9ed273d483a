package io.tributary.support.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Standard Webhooks v1, both sides: {@code webhook-signature: v1,<base64 HMAC-SHA256>} over {@code
 * <webhook-id>.<webhook-timestamp>.<body>}, keyed by the base64 part of a {@code whsec_} secret.
 * The notifier signs what it sends with it; the trigger-service verifies what it receives.
 */
public final class StandardWebhooks {
    public static final String PREFIX = "whsec_";
    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";

    /** Longer signature headers are refused before any HMAC is computed. */
    private static final int MAX_SIGNATURE_HEADER = 2048;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a verification found: ok, or why not ({@code reason} is a stable code). */
    public record Verification(boolean ok, String reason, String detail) {
        static final Verification OK = new Verification(true, null, null);

        static Verification fail(String reason, String detail) {
            return new Verification(false, reason, detail);
        }
    }

    private StandardWebhooks() {}

    /** A new secret: 32 random bytes, base64, with the {@code whsec_} prefix. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The key bytes of a secret ({@code whsec_} + base64; the prefix may be left out); throws
     * IllegalArgumentException when it is not base64.
     */
    public static byte[] key(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("a webhook secret is required");
        }
        String b64 = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        byte[] key = Base64.getDecoder().decode(b64);
        if (key.length == 0) {
            throw new IllegalArgumentException("a webhook secret holds at least one byte");
        }
        return key;
    }

    /**
     * Checks a secret we are asked to sign with: {@code whsec_} + base64 of 24 to 64 bytes; throws
     * IllegalArgumentException naming what is wrong.
     */
    public static void requireSigningSecret(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
        }
        byte[] key = key(secret);
        if (key.length < 24 || key.length > 64) {
            throw new IllegalArgumentException("a webhook secret holds 24 to 64 bytes");
        }
    }

    /** The {@code webhook-signature} header value: {@code v1,<base64>}. */
    public static String sign(String secret, String id, long timestamp, byte[] body) {
        return "v1,"
                + Base64.getEncoder()
                        .encodeToString(mac(key(secret), id + "." + timestamp + ".", body));
    }

    /**
     * Verifies a delivery against any of the secrets (rotation): the three headers present, the
     * timestamp within {@code tolerance} of {@code now}, and one of the header's signatures equal
     * (constant-time) to ours. Reasons: {@code missing_signature}, {@code bad_timestamp}, {@code
     * stale_timestamp}, {@code bad_signature}.
     */
    public static Verification verify(
            List<String> secrets,
            String id,
            String timestamp,
            String signatureHeader,
            byte[] body,
            Instant now,
            Duration tolerance) {
        if (id == null || timestamp == null || signatureHeader == null) {
            return Verification.fail(
                    "missing_signature",
                    ID + ", " + TIMESTAMP + " and " + SIGNATURE + " are required");
        }
        if (signatureHeader.length() > MAX_SIGNATURE_HEADER || id.contains(".")) {
            return Verification.fail("bad_signature", "the signature does not match");
        }
        long seconds;
        try {
            if (timestamp.trim().length() > 12) {
                throw new NumberFormatException();
            }
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Verification.fail("bad_timestamp", "the timestamp is not Unix seconds");
        }
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            return Verification.fail(
                    "stale_timestamp",
                    "the timestamp is outside the " + tolerance.toMinutes() + " minute tolerance");
        }
        List<byte[]> presented = new ArrayList<>();
        for (String part : signatureHeader.trim().split(" +")) {
            if (part.startsWith("v1,")) {
                try {
                    presented.add(Base64.getDecoder().decode(part.substring(3)));
                } catch (IllegalArgumentException e) {
                    // Not base64: cannot match; another signature of the header may.
                }
            }
        }
        boolean match = false;
        for (String secret : secrets) {
            // Signed as sent: the header's own text, not the parsed number.
            byte[] expected = mac(key(secret), id + "." + timestamp + ".", body);
            for (byte[] p : presented) {
                match |= MessageDigest.isEqual(expected, p);
            }
        }
        return match
                ? Verification.OK
                : Verification.fail("bad_signature", "the signature does not match");
    }

    private static byte[] mac(byte[] key, String prefix, byte[] body) {
        return Hmac.sha256(key, prefix.getBytes(StandardCharsets.UTF_8), body);
    }
}
