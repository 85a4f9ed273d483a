package io.tributary.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final RateLimiter limiter = new RateLimiter(1.0, 3, now::get);

    @Test
    void aBurstThenOnePerSecondPerDestination() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("slack:a")).isZero();
        }
        Duration wait = limiter.acquire("slack:a");
        assertThat(wait).isBetween(Duration.ofMillis(990), Duration.ofSeconds(1));
        assertThat(limiter.acquire("slack:b")).isZero(); // other destinations are independent
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(limiter.acquire("slack:a")).isZero();
        assertThat(limiter.acquire("slack:a")).isPositive();
    }

    @Test
    void retryAfterPausesTheDestination() {
        limiter.pause("teams:x", Duration.ofSeconds(30));
        assertThat(limiter.acquire("teams:x")).isEqualTo(Duration.ofSeconds(30));
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(limiter.acquire("teams:x")).isZero();
    }
}
