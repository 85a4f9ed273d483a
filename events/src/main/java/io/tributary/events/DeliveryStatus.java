package io.tributary.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Outcome of a notification delivery, carried by {@link NotificationEvent}. Serialized lowercase.
 */
public enum DeliveryStatus {
    DELIVERED,
    FAILED;

    /** The JSON value, e.g. {@code delivered}. */
    @JsonValue
    public String wire() {
        return Wire.name(this);
    }

    /** Parses a JSON value, ignoring case. */
    @JsonCreator
    public static DeliveryStatus of(String value) {
        return Wire.parse(DeliveryStatus.class, value);
    }
}
