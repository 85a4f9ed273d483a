package io.tributary.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why a sync failed (only on {@code io.tributary.sync.failed}). Serialized lowercase. */
public enum FailureReason {
    AIRBYTE_FAILED,
    TIMED_OUT,
    VALIDATION_FAILED,
    CONNECTION_NOT_FOUND,
    CONNECTION_INACTIVE,
    REJECTED;

    /** The JSON value, e.g. {@code airbyte_failed}. */
    @JsonValue
    public String wire() {
        return Wire.name(this);
    }

    /** Parses a JSON value, ignoring case. */
    @JsonCreator
    public static FailureReason of(String value) {
        return Wire.parse(FailureReason.class, value);
    }
}
