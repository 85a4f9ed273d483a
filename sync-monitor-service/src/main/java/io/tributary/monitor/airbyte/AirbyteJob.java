package io.tributary.monitor.airbyte;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Set;

/**
 * One Airbyte job as the public API shows it ({@code JobResponse}). Immutable.
 *
 * @param status Airbyte's status, lower case, kept as text: a status this code does not know is not
 *     final and must never crash or cancel anything
 * @param createdAt Airbyte's {@code startTime} (the job's creation, whole seconds)
 * @param lastUpdatedAt set by Airbyte when the job ended, else null
 */
public record AirbyteJob(
        long jobId,
        String connectionId,
        String jobType,
        String status,
        Instant createdAt,
        Instant lastUpdatedAt,
        Long rowsSynced,
        Long bytesSynced) {

    private static final Set<String> FINAL = Set.of("succeeded", "failed", "cancelled");
    private static final Set<String> RUNNING = Set.of("pending", "queued", "running", "incomplete");

    /** True for {@code succeeded}, {@code failed} and {@code cancelled}, nothing else. */
    public boolean isTerminal() {
        return FINAL.contains(status);
    }

    /** False for a status this code has never heard of (still not final). */
    public boolean isKnownStatus() {
        return FINAL.contains(status) || RUNNING.contains(status);
    }

    static AirbyteJob from(JsonNode node) {
        return new AirbyteJob(
                node.path("jobId").asLong(),
                text(node, "connectionId"),
                lower(text(node, "jobType")),
                lower(text(node, "status")),
                time(text(node, "startTime")),
                time(text(node, "lastUpdatedAt")),
                number(node, "rowsSynced"),
                number(node, "bytesSynced"));
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String lower(String value) {
        return value == null ? "unknown" : value.toLowerCase(Locale.ROOT);
    }

    private static Long number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.canConvertToLong() ? null : v.asLong();
    }

    /** Airbyte prints times with {@code OffsetDateTime.toString()} (seconds may be absent). */
    static Instant time(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (RuntimeException e) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(value));
            } catch (NumberFormatException ignored) {
                return null;
            }
        }
    }
}
