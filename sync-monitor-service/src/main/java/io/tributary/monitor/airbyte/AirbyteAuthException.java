package io.tributary.monitor.airbyte;

/**
 * Airbyte refused our credentials even with a fresh token (or basic credentials): a configuration
 * problem. Work waits (nothing is refused to users because of it); retries do not help.
 */
public class AirbyteAuthException extends AirbyteUnavailableException {
    public AirbyteAuthException(int status, String message) {
        super(status, message, null);
    }
}
