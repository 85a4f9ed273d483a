package io.tributary.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour injected into API calls: an error status, a slow answer or a dropped connection.
 */
public final class Fault {

    /** What the sandbox does to a faulted call. */
    public enum Kind {
        STATUS,
        SLOW,
        DROP
    }

    private final Kind kind;
    private final int status;
    private final Duration delay;

    private Fault(Kind kind, int status, Duration delay) {
        this.kind = kind;
        this.status = status;
        this.delay = delay;
    }

    /**
     * Answers {@code status} instead of handling the call. 5xx get Airbyte's problem body; 429 gets
     * Airbyte's load-shed body {@code {"message":"You are being rate limited."}} without {@code
     * Retry-After}.
     */
    public static Fault status(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("fault status must be 4xx or 5xx: " + status);
        }
        return new Fault(Kind.STATUS, status, Duration.ZERO);
    }

    /** Handles the call normally, but only after {@code delay} (real time, not compressed). */
    public static Fault slow(Duration delay) {
        return new Fault(Kind.SLOW, 0, Objects.requireNonNull(delay));
    }

    /** Closes the TCP connection without answering. */
    public static Fault drop() {
        return new Fault(Kind.DROP, 0, Duration.ZERO);
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    public Duration delay() {
        return delay;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case STATUS -> "status(" + status + ")";
            case SLOW -> "slow(" + delay + ")";
            case DROP -> "drop()";
        };
    }
}
