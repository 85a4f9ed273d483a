package io.tributary.monitor.airbyte;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * OAuth2 client-credentials tokens for Airbyte ({@code POST /applications/token} with a JSON body).
 *
 * <p>A token is used until min({@code expires_in}, JWT {@code exp}) minus a margin (Airbyte Cloud
 * once advertised 15 minutes for tokens that died after 3): the margin is at most a quarter of the
 * lifetime, so short-lived tokens are still reused. Refresh is single-flight: concurrent callers
 * wait for the one fetch in progress. {@link #invalidate(String)} drops a token that Airbyte
 * refused (401), so the next call fetches a fresh one.
 *
 * <p>Not a CDI bean: {@link AirbyteClient} owns it and hands it the fetch (which goes through the
 * same fault-tolerance guard as every Airbyte call). Never logs a token or the secret.
 */
final class AirbyteTokens {
    private static final Logger LOG = Logger.getLogger(AirbyteTokens.class);

    record Token(String value, Instant refreshAt) {}

    private final Supplier<JsonNode> fetch;
    private final Duration margin;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final Runnable onRefresh;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Token current;

    AirbyteTokens(
            Supplier<JsonNode> fetch,
            Duration margin,
            Clock clock,
            ObjectMapper mapper,
            Runnable onRefresh) {
        this.fetch = fetch;
        this.margin = margin;
        this.clock = clock;
        this.mapper = mapper;
        this.onRefresh = onRefresh;
    }

    /** A valid access token, fetched (once, whatever the number of callers) when needed. */
    String token() {
        Token t = current;
        if (t != null && clock.instant().isBefore(t.refreshAt())) {
            return t.value();
        }
        lock.lock();
        try {
            t = current;
            if (t != null && clock.instant().isBefore(t.refreshAt())) {
                return t.value();
            }
            Token fresh = parse(fetch.get());
            current = fresh;
            onRefresh.run();
            LOG.debugf("Airbyte access token refreshed, reused until %s", fresh.refreshAt());
            return fresh.value();
        } finally {
            lock.unlock();
        }
    }

    /** Drops {@code value} if it is still the current token (Airbyte answered 401 with it). */
    void invalidate(String value) {
        lock.lock();
        try {
            Token t = current;
            if (t != null && t.value().equals(value)) {
                current = null;
            }
        } finally {
            lock.unlock();
        }
    }

    Token parse(JsonNode body) {
        String value = AirbyteJob.text(body, "access_token");
        if (value == null || value.isBlank()) {
            throw new AirbyteApiException(
                    200, "invalid-token-response", "token endpoint answered no access_token");
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plus(Duration.ofMinutes(3));
        JsonNode expiresIn = body.get("expires_in");
        if (expiresIn != null && expiresIn.canConvertToLong() && expiresIn.asLong() > 0) {
            expiresAt = now.plusSeconds(expiresIn.asLong());
        }
        Instant exp = jwtExpiry(value);
        if (exp != null && exp.isBefore(expiresAt)) {
            expiresAt = exp;
        }
        Duration lifetime = Duration.between(now, expiresAt);
        if (lifetime.isNegative()) {
            lifetime = Duration.ZERO;
        }
        Duration effectiveMargin =
                margin.compareTo(lifetime.dividedBy(4)) < 0 ? margin : lifetime.dividedBy(4);
        return new Token(value, expiresAt.minus(effectiveMargin));
    }

    /** The {@code exp} claim of a JWT, or null when the token is opaque. */
    Instant jwtExpiry(String token) {
        String[] parts = token.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
            JsonNode claims = mapper.readTree(new String(payload, StandardCharsets.UTF_8));
            JsonNode exp = claims.get("exp");
            return exp != null && exp.canConvertToLong()
                    ? Instant.ofEpochSecond(exp.asLong())
                    : null;
        } catch (Exception e) {
            return null;
        }
    }
}
