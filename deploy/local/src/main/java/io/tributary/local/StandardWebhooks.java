package io.tributary.local;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks v1, written from the specification rather than borrowed from a service: base64
 * HMAC-SHA256 keyed with the base64-decoded secret after {@code whsec_}, over {@code
 * id.timestamp.body}. The end-to-end suite and the local pipeline log sign what they send and check
 * what they receive with it, independently of the services' own implementation.
 */
public final class StandardWebhooks {
    private static final SecureRandom RANDOM = new SecureRandom();

    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    public static String signature(String secret, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(
                    new SecretKeySpec(
                            Base64.getDecoder().decode(secret.substring("whsec_".length())),
                            "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a whsec_ secret", e);
        }
    }

    /**
     * Checks a received request: its {@code webhook-id}, {@code webhook-timestamp} and {@code
     * webhook-signature} headers, read through {@code header}, against {@code secret} (null:
     * false).
     */
    public static boolean verify(String secret, Function<String, String> header, byte[] body) {
        return secret != null
                && verify(
                        secret,
                        header.apply("webhook-id"),
                        header.apply("webhook-timestamp"),
                        header.apply("webhook-signature"),
                        body);
    }

    /** True when one of the header's space-separated {@code v1,} signatures matches. */
    public static boolean verify(
            String secret, String id, String timestamp, String header, byte[] body) {
        if (id == null || timestamp == null || header == null) {
            return false;
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(System.currentTimeMillis() / 1000 - ts) > 300) {
            return false;
        }
        byte[] expected;
        try {
            expected = signature(secret, id, ts, body).getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (String candidate : header.trim().split(" +")) {
            if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    private StandardWebhooks() {}
}
