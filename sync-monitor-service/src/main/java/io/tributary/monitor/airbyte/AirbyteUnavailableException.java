package io.tributary.monitor.airbyte;

/**
 * Airbyte could not answer now: 5xx, 429, a timeout, a refused connection, an open circuit breaker
 * or our own rate limit. Idempotent calls were already retried; the caller tries again later and
 * changes nothing meanwhile.
 */
public class AirbyteUnavailableException extends RuntimeException {
    private final int status;

    public AirbyteUnavailableException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when no answer came. */
    public int status() {
        return status;
    }
}
