package io.tributary.monitor.job;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When to look at a running job again: young jobs often (they may end quickly), old ones rarely.
 * Interval = age / divisor, clamped to [min, max], jittered ±20 % so that jobs started together do
 * not poll together.
 */
public record PollSchedule(Duration min, Duration max, int divisor) {

    public Duration next(Duration age, RandomGenerator random) {
        long millis = Math.max(0, age.toMillis()) / Math.max(1, divisor);
        millis = Math.max(min.toMillis(), Math.min(max.toMillis(), millis));
        double jitter = 0.8 + 0.4 * random.nextDouble();
        return Duration.ofMillis(Math.round(millis * jitter));
    }
}
