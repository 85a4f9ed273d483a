package io.tributary.notifier.channel;

import io.tributary.notifier.config.NotifierConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per destination (one URL, one SMTP server): {@code ratePerSecond} sends on
 * average, bursts up to {@code burst}. A receiver's 429 Retry-After pauses its destination. In
 * memory, per instance: with several replicas each keeps its own budget.
 */
@ApplicationScoped
public class RateLimiter {
    private final double ratePerNano;
    private final double burst;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public RateLimiter(NotifierConfig config) {
        this(config.delivery().ratePerSecond(), config.delivery().rateBurst(), System::nanoTime);
    }

    public RateLimiter(double ratePerSecond, int burst, LongSupplier nanoClock) {
        if (ratePerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.clock = nanoClock;
    }

    private static final class Bucket {
        double tokens;
        long updatedAt;
        long pausedUntil;
    }

    /** Takes a token and returns zero, or returns how long to wait for the next one. */
    public Duration acquire(String destination) {
        long now = clock.getAsLong();
        Bucket bucket =
                buckets.computeIfAbsent(
                        destination,
                        k -> {
                            Bucket b = new Bucket();
                            b.tokens = burst;
                            b.updatedAt = now;
                            return b;
                        });
        synchronized (bucket) {
            if (bucket.pausedUntil - now > 0) {
                return Duration.ofNanos(bucket.pausedUntil - now);
            }
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedAt) * ratePerNano);
            bucket.updatedAt = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / ratePerNano));
        }
    }

    /** The receiver asked us to wait (429 with Retry-After). */
    public void pause(String destination, Duration duration) {
        long now = clock.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(destination, k -> new Bucket());
        synchronized (bucket) {
            bucket.pausedUntil = Math.max(bucket.pausedUntil, now + duration.toNanos());
            bucket.tokens = 0;
            bucket.updatedAt = now + duration.toNanos();
        }
    }
}
