package io.tributary.notifier.expectation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What an expectation is about: an Airbyte connection or a dbt transform. Serialized lowercase. */
public enum SubjectKind {
    CONNECTION,
    TRANSFORM;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static SubjectKind of(String value) {
        for (SubjectKind kind : values()) {
            if (value != null && kind.wire().equals(value.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException(
                "unknown subject kind '" + value + "' (connection or transform)");
    }
}
