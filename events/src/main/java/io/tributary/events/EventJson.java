package io.tributary.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * The one JSON configuration of event data: RFC 3339 UTC strings for times, ISO-8601 strings for
 * durations, no nulls written, unknown fields ignored (producers may add fields at any time).
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        configure(MAPPER);
    }

    private EventJson() {}

    /**
     * Applies the event settings to a mapper, e.g. Quarkus' own from an {@code
     * ObjectMapperCustomizer}, so REST bodies and Kafka values look the same.
     */
    public static void configure(ObjectMapper mapper) {
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        // Instants are written as given: keep them UTC ("Z"), never the JVM's zone.
        mapper.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        mapper.setDefaultPropertyInclusion(
                JsonInclude.Value.construct(
                        JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));
    }

    /**
     * The shared, configured mapper. Thread-safe; do not reconfigure it (use {@link
     * #configure(ObjectMapper)} on your own instance instead).
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // Our records always serialize: a failure here is a programming error.
            throw new IllegalStateException("cannot serialize " + value.getClass().getName(), e);
        }
    }

    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getName(), e);
        }
    }

    /**
     * Reads JSON into a type.
     *
     * @throws IllegalArgumentException when the JSON is malformed or does not fit the type
     */
    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw invalid(type, e);
        }
    }

    /** See {@link #read(byte[], Class)}. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw invalid(type, e);
        }
    }

    /** Converts a tree into a type; see {@link #read(byte[], Class)}. */
    public static <T> T read(JsonNode json, Class<T> type) {
        try {
            return MAPPER.treeToValue(json, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw invalid(type, e);
        }
    }

    /** Parses JSON into a tree; throws {@link IllegalArgumentException} on malformed JSON. */
    public static JsonNode tree(byte[] json) {
        try {
            return requireContent(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON: " + message(e), e);
        }
    }

    /** See {@link #tree(byte[])}. */
    public static JsonNode tree(String json) {
        try {
            return requireContent(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON: " + message(e), e);
        }
    }

    /** The JSON tree of a value (a record, a map...), as it would be serialized. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    private static JsonNode requireContent(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            throw new IllegalArgumentException("empty JSON");
        }
        return node;
    }

    private static String message(IOException e) {
        return e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    }

    private static IllegalArgumentException invalid(Class<?> type, Exception e) {
        String detail =
                e instanceof JsonProcessingException jpe
                        ? jpe.getOriginalMessage()
                        : e.getMessage();
        return new IllegalArgumentException(
                "not a valid " + type.getSimpleName() + ": " + detail, e);
    }
}
