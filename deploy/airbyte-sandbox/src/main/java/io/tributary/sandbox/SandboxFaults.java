package io.tributary.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Faults waiting for the next API calls. Admin ({@code /sandbox/...}) calls are never faulted. A
 * time window, when active, wins over the counted queues; a call to an endpoint with faults of its
 * own takes those before the general queue.
 */
public final class SandboxFaults {

    private final Clock clock;
    private final Deque<Fault> queue = new ArrayDeque<>();
    private final Map<String, Deque<Fault>> byEndpoint = new HashMap<>();
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

    /**
     * The next {@code count} calls of one endpoint ({@code "POST /jobs"}, {@code "GET
     * /jobs/{jobId}"}: method and path template, as the call counters name them) suffer {@code
     * fault}; other endpoints are untouched. A {@link Fault#drop()} closes the connection before
     * the call is handled: a dropped {@code POST /jobs} creates no job.
     */
    public synchronized SandboxFaults next(int count, Fault fault, String endpoint) {
        Objects.requireNonNull(fault);
        Deque<Fault> faults =
                byEndpoint.computeIfAbsent(
                        Objects.requireNonNull(endpoint), e -> new ArrayDeque<>());
        for (int i = 0; i < count; i++) {
            faults.addLast(fault);
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
        byEndpoint.clear();
        windowFault = null;
        windowEnd = Instant.MIN;
    }

    /** Counted faults not yet used. */
    public synchronized int pending() {
        return queue.size() + byEndpoint.values().stream().mapToInt(Deque::size).sum();
    }

    /** The fault for the call to {@code endpoint} being handled now, or null. */
    synchronized Fault take(String endpoint) {
        if (windowFault != null) {
            if (clock.instant().isBefore(windowEnd)) {
                return windowFault;
            }
            windowFault = null;
        }
        Deque<Fault> own = byEndpoint.get(endpoint);
        if (own != null && !own.isEmpty()) {
            return own.pollFirst();
        }
        return queue.pollFirst();
    }
}
