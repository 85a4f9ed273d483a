package io.tributary.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Faults waiting for the next API calls. Admin ({@code /sandbox/...}) calls are never faulted. A
 * time window, when active, wins over the counted queue.
 */
public final class SandboxFaults {

    private final Clock clock;
    private final Deque<Fault> queue = new ArrayDeque<>();
    private Fault windowFault;
    private Instant windowEnd = Instant.MIN;

    SandboxFaults(Clock clock) {
        this.clock = clock;
    }

    /** The next {@code count} API calls suffer {@code fault} (queued after earlier faults). */
    public synchronized SandboxFaults next(int count, Fault fault) {
        Objects.requireNonNull(fault);
        for (int i = 0; i < count; i++) {
            queue.addLast(fault);
        }
        return this;
    }

    /** Every API call during the next {@code window} (real time) suffers {@code fault}. */
    public synchronized SandboxFaults during(Duration window, Fault fault) {
        windowFault = Objects.requireNonNull(fault);
        windowEnd = clock.instant().plus(window);
        return this;
    }

    /** Removes every queued fault and ends any window. */
    public synchronized void clear() {
        queue.clear();
        windowFault = null;
        windowEnd = Instant.MIN;
    }

    /** Counted faults not yet used. */
    public synchronized int pending() {
        return queue.size();
    }

    /** The fault for the call being handled now, or null. */
    synchronized Fault take() {
        if (windowFault != null) {
            if (clock.instant().isBefore(windowEnd)) {
                return windowFault;
            }
            windowFault = null;
        }
        return queue.pollFirst();
    }
}
