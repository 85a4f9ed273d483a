package io.tributary.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What started a transform run. {@code SYNC}: its upstream syncs landed. Serialized lowercase. */
public enum TransformTriggerKind {
    SYNC,
    SCHEDULE,
    MANUAL,
    EVENT;

    /** The JSON value, e.g. {@code sync}. */
    @JsonValue
    public String wire() {
        return Wire.name(this);
    }

    /** Parses a JSON value, ignoring case. */
    @JsonCreator
    public static TransformTriggerKind of(String value) {
        return Wire.parse(TransformTriggerKind.class, value);
    }
}
