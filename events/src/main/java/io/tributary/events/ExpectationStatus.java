package io.tributary.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What an expectation event reports, carried by {@link ExpectationEvent}: a promise broken, or kept
 * again after it was. Serialized lowercase.
 */
public enum ExpectationStatus {
    MISSED,
    RECOVERED;

    /** The JSON value, e.g. {@code missed}. */
    @JsonValue
    public String wire() {
        return Wire.name(this);
    }

    /** Parses a JSON value, ignoring case. */
    @JsonCreator
    public static ExpectationStatus of(String value) {
        return Wire.parse(ExpectationStatus.class, value);
    }
}
