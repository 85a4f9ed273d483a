package io.tributary.bench.reference;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks v1 verification, the minimum: HMAC-SHA256 over {@code id.timestamp.body} under
 * the secret's key, compared in constant time with each {@code v1,} signature of the header, and a
 * timestamp within the tolerance. Written here rather than taken from service-support, whose module
 * brings Hibernate and the outbox.
 */
final class Signature {
    private static final String ALGORITHM = "HmacSHA256";

    /** One keyed Mac per thread: the key never changes, so it is initialised once. */
    private final ThreadLocal<Mac> mac;

    private final Duration tolerance;

    Signature(String secret, Duration tolerance) {
        String b64 = secret.startsWith("whsec_") ? secret.substring(6) : secret;
        SecretKeySpec key = new SecretKeySpec(Base64.getDecoder().decode(b64), ALGORITHM);
        this.mac =
                ThreadLocal.withInitial(
                        () -> {
                            try {
                                Mac m = Mac.getInstance(ALGORITHM);
                                m.init(key);
                                return m;
                            } catch (GeneralSecurityException e) {
                                throw new IllegalStateException(e);
                            }
                        });
        this.tolerance = tolerance;
    }

    boolean verify(String id, String timestamp, String header, byte[] body, Instant now) {
        if (id == null || timestamp == null || header == null || header.length() > 2048) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = mac((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
        boolean match = false;
        for (String part : header.trim().split(" +")) {
            if (part.startsWith("v1,")) {
                try {
                    match |=
                            MessageDigest.isEqual(
                                    expected, Base64.getDecoder().decode(part.substring(3)));
                } catch (IllegalArgumentException e) {
                    // Not base64: cannot match; another signature of the header may.
                }
            }
        }
        return match;
    }

    private byte[] mac(byte[] prefix, byte[] body) {
        Mac m = mac.get();
        m.update(prefix);
        return m.doFinal(body);
    }
}
