package io.tributary.sandbox;

import java.util.Locale;

/** Airbyte's {@code JobTypeEnum}; {@code refresh} exists in the spec but the API refuses it. */
public enum JobType {
    SYNC,
    RESET,
    REFRESH,
    CLEAR;

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns null for a value Airbyte does not define. */
    public static JobType parse(String value) {
        for (JobType t : values()) {
            if (t.json().equals(value)) {
                return t;
            }
        }
        return null;
    }
}
