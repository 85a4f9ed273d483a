package io.tributary.sandbox;

import java.util.Locale;

/** Airbyte's {@code JobStatusEnum}; the JSON value is the lower-case name. */
public enum JobStatus {
    PENDING,
    QUEUED,
    RUNNING,
    INCOMPLETE,
    FAILED,
    SUCCEEDED,
    CANCELLED;

    public boolean isTerminal() {
        return this == FAILED || this == SUCCEEDED || this == CANCELLED;
    }

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns null for a value Airbyte does not define. */
    public static JobStatus parse(String value) {
        for (JobStatus s : values()) {
            if (s.json().equals(value)) {
                return s;
            }
        }
        return null;
    }
}
