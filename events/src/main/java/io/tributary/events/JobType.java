package io.tributary.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Airbyte job type requested or run. Serialized lowercase. */
public enum JobType {
    SYNC,
    RESET,
    CLEAR;

    /** The JSON value, e.g. {@code sync}. */
    @JsonValue
    public String wire() {
        return Wire.name(this);
    }

    /** Parses a JSON value, ignoring case. */
    @JsonCreator
    public static JobType of(String value) {
        return Wire.parse(JobType.class, value);
    }
}
