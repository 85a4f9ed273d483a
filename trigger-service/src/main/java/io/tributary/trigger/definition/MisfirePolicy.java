package io.tributary.trigger.definition;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a schedule does about fires missed while no instance was running. */
public enum MisfirePolicy {
    /** Fire once on recovery, however many fires were missed. */
    FIRE_ONCE,
    /** Skip missed fires; wait for the next one. */
    SKIP;

    @JsonValue
    public String wire() {
        return WireEnum.name(this);
    }

    @JsonCreator
    public static MisfirePolicy of(String value) {
        return WireEnum.parse(MisfirePolicy.class, value);
    }
}
