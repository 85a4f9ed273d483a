package io.tributary.notifier.subscription;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The channels a subscription can use. Serialized lowercase. */
public enum ChannelType {
    SLACK,
    TEAMS,
    EMAIL,
    PAGERDUTY,
    WEBHOOK;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ChannelType of(String value) {
        if (value == null) {
            return null;
        }
        for (ChannelType type : values()) {
            if (type.name().equalsIgnoreCase(value.trim())) {
                return type;
            }
        }
        throw new IllegalArgumentException(
                "unknown channel '" + value + "' (slack, teams, email, pagerduty, webhook)");
    }

    /**
     * True for channels read by people: their events are grouped, repeats suppressed and recoveries
     * announced. The generic webhook gets every matching event as it is.
     */
    public boolean forPeople() {
        return this != WEBHOOK;
    }
}
