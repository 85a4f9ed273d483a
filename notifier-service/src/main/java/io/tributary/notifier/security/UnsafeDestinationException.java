package io.tributary.notifier.security;

/**
 * A destination that must not be contacted (bad scheme, non-public address, unresolvable name). The
 * message names the host at most, never the path or query (they may hold secrets).
 */
public class UnsafeDestinationException extends Exception {
    public UnsafeDestinationException(String message) {
        super(message);
    }
}
