package io.tributary.transform.run;

import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Locale;

/**
 * A run's state: queued → running → succeeded | failed | cancelled | skipped (queued may be
 * cancelled; skipped: {@code select: changed} and nothing changed, no dbt run).
 */
public enum RunStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    SKIPPED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == SKIPPED;
    }

    /** {@code transform_run.status} holds the wire value. */
    @Converter
    public static class Column implements AttributeConverter<RunStatus, String> {
        @Override
        public String convertToDatabaseColumn(RunStatus status) {
            return status == null ? null : status.wire();
        }

        @Override
        public RunStatus convertToEntityAttribute(String value) {
            return value == null ? null : of(value);
        }
    }
}
