package io.tributary.transform.run;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A run's state: queued → running → succeeded | failed | cancelled (queued may be cancelled). */
public enum RunStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
