package io.tributary.notifier.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with "equal jitter": half the step fixed, half random. */
public final class Backoff {
    private Backoff() {}

    /** The wait after the {@code attempts}-th failed attempt (1-based). */
    public static Duration after(int attempts, Duration initial, Duration max) {
        long base = initial.toMillis();
        long step = base;
        for (int i = 1; i < attempts && step < max.toMillis(); i++) {
            step *= 2;
        }
        step = Math.min(step, max.toMillis());
        long half = step / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
