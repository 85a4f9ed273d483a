package io.tributary.monitor.airbyte;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AirbyteTokensTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static String jwt(Instant exp) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8))
                + "."
                + b64.encodeToString(
                        ("{\"exp\":" + exp.getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8))
                + ".sig";
    }

    static JsonNode body(String token, long expiresIn) {
        return MAPPER.createObjectNode()
                .put("access_token", token)
                .put("token_type", "Bearer")
                .put("expires_in", expiresIn);
    }

    AirbyteTokens tokens(JsonNode answer, Duration margin) {
        return new AirbyteTokens(() -> answer, margin, CLOCK, MAPPER, () -> {});
    }

    @Test
    void aLyingExpiresInLosesToTheJwtExpiry() {
        AirbyteTokens t = tokens(null, Duration.ofSeconds(30));
        // expires_in says 15 minutes, the JWT dies after 3.
        var token = t.parse(body(jwt(NOW.plusSeconds(180)), 900));
        assertThat(token.refreshAt()).isEqualTo(NOW.plusSeconds(150));
    }

    @Test
    void theMarginNeverExceedsAQuarterOfAShortLifetime() {
        AirbyteTokens t = tokens(null, Duration.ofSeconds(30));
        var token = t.parse(body(jwt(NOW.plusSeconds(4)), 900));
        assertThat(token.refreshAt()).isEqualTo(NOW.plusSeconds(3));
        var opaque = t.parse(body("opaque-token", 600));
        assertThat(opaque.refreshAt()).isEqualTo(NOW.plusSeconds(570));
    }

    @Test
    void concurrentCallersShareOneFetchAndARefusedTokenIsDropped() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        CountDownLatch slow = new CountDownLatch(1);
        AirbyteTokens t =
                new AirbyteTokens(
                        () -> {
                            fetches.incrementAndGet();
                            try {
                                slow.await(2, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return body("tok-" + fetches.get(), 600);
                        },
                        Duration.ofSeconds(30),
                        CLOCK,
                        MAPPER,
                        () -> {});
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> got = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                got.add(pool.submit(t::token));
            }
            slow.countDown();
            for (Future<String> f : got) {
                assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("tok-1");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fetches).hasValue(1);
        t.invalidate("tok-1");
        assertThat(t.token()).isEqualTo("tok-2");
        t.invalidate("tok-1"); // a stale 401 does not drop the fresh token
        assertThat(t.token()).isEqualTo("tok-2");
    }

    @Test
    void unknownStatusesAreNotFinal() {
        var job = new AirbyteJob(1, "c", "sync", "paused_by_aliens", null, null, null, null);
        assertThat(job.isTerminal()).isFalse();
        assertThat(job.isKnownStatus()).isFalse();
        assertThat(
                        new AirbyteJob(1, "c", "sync", "incomplete", null, null, null, null)
                                .isTerminal())
                .isFalse();
        assertThat(AirbyteJob.time("2024-01-01T10:00Z"))
                .isEqualTo(Instant.parse("2024-01-01T10:00:00Z"));
    }
}
