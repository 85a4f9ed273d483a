package io.tributary.notifier.expectation;

import java.util.Locale;

/**
 * Where an expectation stands: not judged yet, kept, or missed until a success keeps it again. No
 * state is terminal: a promise is judged for as long as it exists.
 */
public enum ExpectationState {
    UNKNOWN,
    KEPT,
    MISSED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isTerminal() {
        return false;
    }

    static ExpectationState of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
