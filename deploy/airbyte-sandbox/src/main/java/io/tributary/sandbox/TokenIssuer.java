package io.tributary.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks JWT-shaped bearer tokens (HS256, with {@code iat}/{@code exp}) so that clients
 * which decode the JWT {@code exp} see the real lifetime, whatever {@code expires_in} claims.
 */
final class TokenIssuer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER =
            B64.encodeToString(
                    "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private final Clock clock;
    private final byte[] key = new byte[32];
    // Exact expiry per token id: the JWT exp has whole seconds, tests use sub-second lifetimes.
    private final Map<String, Instant> live = new ConcurrentHashMap<>();

    TokenIssuer(Clock clock) {
        this.clock = clock;
        new SecureRandom().nextBytes(key);
    }

    String issue(String subject, Duration lifetime) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(lifetime);
        if (live.size() > 10_000) {
            live.values().removeIf(exp -> !exp.isAfter(now));
        }
        String jti = UUID.randomUUID().toString();
        ObjectNode claims = JSON.createObjectNode();
        claims.put("iss", "airbyte-sandbox");
        claims.put("aud", "airbyte-server");
        claims.put("sub", subject);
        claims.put("iat", now.getEpochSecond());
        // Whole seconds from iat: exp falls at most 1 s before the real expiry, never after it.
        long lifetimeSeconds = lifetime.getSeconds() + (lifetime.getNano() > 0 ? 1 : 0);
        long expSeconds = now.getEpochSecond() + Math.max(1, lifetimeSeconds);
        claims.put("exp", expSeconds);
        claims.put("jti", jti);
        String payload = B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        String unsigned = HEADER + "." + payload;
        live.put(jti, expiresAt);
        return unsigned + "." + B64.encodeToString(sign(unsigned));
    }

    /** True when the token was issued here, is not revoked and has not expired. */
    boolean isValid(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            byte[] expected = sign(parts[0] + "." + parts[1]);
            if (!MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            String jti =
                    JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path("jti").asText();
            Instant expiresAt = live.get(jti);
            return expiresAt != null && clock.instant().isBefore(expiresAt);
        } catch (Exception e) {
            return false;
        }
    }

    void revokeAll() {
        live.clear();
    }

    private byte[] sign(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
