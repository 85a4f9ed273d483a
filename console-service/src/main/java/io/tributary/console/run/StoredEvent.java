package io.tributary.console.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One CloudEvent as the console stored it: its attributes, Kafka position and data. */
public record StoredEvent(
        String eventId,
        String type,
        String topic,
        int partition,
        long offset,
        String key,
        Instant time,
        String correlationId,
        JsonNode data,
        JsonNode headers) {

    /** A text field of the data, null when absent. */
    public String text(String field) {
        JsonNode n = data.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** A time field of the data (RFC 3339), null when absent or unreadable. */
    public Instant instant(String field) {
        String t = text(field);
        if (t == null) {
            return null;
        }
        try {
            return Instant.parse(t);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The short type, e.g. {@code sync.succeeded}. */
    public String shortType() {
        return type.startsWith("io.tributary.") ? type.substring("io.tributary.".length()) : type;
    }
}
