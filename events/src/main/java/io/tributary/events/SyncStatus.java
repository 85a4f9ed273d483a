package io.tributary.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Final status of a sync job, carried by {@link SyncFinished}. Serialized lowercase. */
public enum SyncStatus {
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** The JSON value, e.g. {@code succeeded}. */
    @JsonValue
    public String wire() {
        return Wire.name(this);
    }

    /** Parses a JSON value, ignoring case. */
    @JsonCreator
    public static SyncStatus of(String value) {
        return Wire.parse(SyncStatus.class, value);
    }
}
