package io.tributary.console.run;

import java.util.Locale;

/** Where a pipeline run stands, derived from its events. */
public enum RunStatus {
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** No event of the run is waiting for its ending. */
    public boolean isTerminal() {
        return this != RUNNING;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status for a wire name, or null. */
    public static RunStatus of(String wire) {
        for (RunStatus s : values()) {
            if (s.wire().equals(wire)) {
                return s;
            }
        }
        return null;
    }
}
