package io.tributary.monitor.airbyte;

/**
 * Airbyte could not answer now: 5xx, 429, a timeout, a refused connection, an open circuit breaker
 * or our own rate limit. Idempotent calls were already retried; the caller tries again later and
 * changes nothing meanwhile.
 */
public class AirbyteUnavailableException extends RuntimeException {
    private final int status;
    private final boolean sent;

    public AirbyteUnavailableException(int status, String message, Throwable cause) {
        this(status, message, cause, true);
    }

    private AirbyteUnavailableException(int status, String message, Throwable cause, boolean sent) {
        super(message, cause);
        this.status = status;
        this.sent = sent;
    }

    /**
     * The call never left this process (our rate limit, the open breaker, no token, a refused TCP
     * connection): Airbyte cannot have acted on it.
     */
    public static AirbyteUnavailableException notSent(String message, Throwable cause) {
        return new AirbyteUnavailableException(0, message, cause, false);
    }

    /** The HTTP status, or 0 when no answer came. */
    public int status() {
        return status;
    }

    /**
     * False only when Airbyte certainly did not receive the call; true when it may have acted on it
     * (a timeout, a dropped connection, a 5xx from a proxy).
     */
    public boolean sent() {
        return sent;
    }
}
