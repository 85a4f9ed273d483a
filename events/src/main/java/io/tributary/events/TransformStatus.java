package io.tributary.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Status of a transform run, carried by {@link TransformEvent}. Serialized lowercase. */
public enum TransformStatus {
    STARTED,
    SUCCEEDED,
    FAILED,
    /** No dbt run: nothing it would build changed (contract 0.3.0). */
    SKIPPED;

    /** True for every status but {@code started}: the run (or its absence) is final. */
    public boolean isTerminal() {
        return this != STARTED;
    }

    /** The JSON value, e.g. {@code started}. */
    @JsonValue
    public String wire() {
        return Wire.name(this);
    }

    /** Parses a JSON value, ignoring case. */
    @JsonCreator
    public static TransformStatus of(String value) {
        return Wire.parse(TransformStatus.class, value);
    }
}
