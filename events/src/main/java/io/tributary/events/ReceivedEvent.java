package io.tributary.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A CloudEvent read from a Kafka record (see {@link CloudEventKafka#read}).
 *
 * @param type the raw {@code ce_type}; see {@link #eventType()} for the known ones
 * @param time {@code ce_time}, null when the producer did not set it
 * @param subject {@code ce_subject}, null when absent
 * @param dataSchema {@code ce_dataschema}, null when absent
 * @param key the Kafka record key, null when absent
 * @param traceparent the W3C {@code traceparent} header, null when absent
 * @param data the record value as a JSON tree
 */
public record ReceivedEvent(
        String id,
        String source,
        String type,
        Instant time,
        String subject,
        URI dataSchema,
        String key,
        String traceparent,
        JsonNode data) {

    /** The contract's type, empty for a type this version does not know (skip it). */
    public Optional<EventType> eventType() {
        return EventType.fromType(type);
    }

    /** True for a known type equal to {@code expected}. */
    public boolean is(EventType expected) {
        return expected.type().equals(type);
    }

    /**
     * The data as a record.
     *
     * @throws IllegalArgumentException when it does not fit the type
     */
    public <T> T data(Class<T> type) {
        return EventJson.read(data, type);
    }

    /** Schema errors of the data (empty when valid or when the type is unknown). */
    public List<String> validate() {
        return eventType().map(t -> EventSchemas.validate(t, data)).orElse(List.of());
    }
}
