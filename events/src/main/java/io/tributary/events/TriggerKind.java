package io.tributary.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What asked for a sync. {@code KAFKA}: a record on an external Kafka topic. Serialized lowercase.
 */
public enum TriggerKind {
    WEBHOOK,
    SCHEDULE,
    MANUAL,
    EVENT,
    KAFKA;

    /** The JSON value, e.g. {@code webhook}. */
    @JsonValue
    public String wire() {
        return Wire.name(this);
    }

    /** Parses a JSON value, ignoring case. */
    @JsonCreator
    public static TriggerKind of(String value) {
        return Wire.parse(TriggerKind.class, value);
    }
}
