package io.tributary.monitor.airbyte;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The Airbyte call budget: at most {@code limit} calls per {@code window}, spaced evenly, with a
 * burst of up to {@code limit} after a quiet spell. A caller takes its turn, waiting for it when it
 * comes soon enough, instead of being refused and retrying later: under a burst the budget is spent
 * steadily, on whoever asks first, and nothing spins.
 */
final class CallRate {
    private final long spacingNanos;
    private final long burstNanos;
    private long nextFree = System.nanoTime();

    CallRate(int limit, Duration window) {
        long windowNanos = window.toNanos();
        spacingNanos = Math.max(1, windowNanos / Math.max(1, limit));
        burstNanos = windowNanos;
    }

    /**
     * Takes the next turn and waits for it; false (and no turn taken) when it comes later than
     * {@code maxWait}.
     */
    boolean acquire(Duration maxWait) {
        long turn;
        synchronized (this) {
            long now = System.nanoTime();
            turn = Math.max(nextFree, now - burstNanos + spacingNanos);
            if (turn - now > maxWait.toNanos()) {
                return false;
            }
            nextFree = turn + spacingNanos;
        }
        for (long left = turn - System.nanoTime(); left > 0; left = turn - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
        return true;
    }
}
