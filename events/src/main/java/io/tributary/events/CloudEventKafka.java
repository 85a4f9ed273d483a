package io.tributary.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * CloudEvents 1.0 in the Kafka binary content mode: value = JSON data, {@code datacontenttype} =
 * the {@code content-type} header, every other attribute = a {@code ce_*} header (the CloudEvents
 * Kafka protocol binding). Builds SmallRye messages (services) and plain Kafka records (tests, e2e
 * suite, third parties), and reads records back without throwing on bad input.
 */
public final class CloudEventKafka {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";

    public static final String CE_SPECVERSION = "ce_specversion";
    public static final String CE_ID = "ce_id";
    public static final String CE_SOURCE = "ce_source";
    public static final String CE_TYPE = "ce_type";
    public static final String CE_TIME = "ce_time";
    public static final String CE_SUBJECT = "ce_subject";
    public static final String CE_DATASCHEMA = "ce_dataschema";

    /** Binary mode maps {@code datacontenttype} to this header, and to no other. */
    public static final String CONTENT_TYPE = "content-type";

    /**
     * Not part of the binding: records written before version 0.2.1 of the contract carry it next
     * to {@link #CONTENT_TYPE} (SmallRye writes both when the content type is set on the CloudEvent
     * metadata). Producers no longer write it; readers accept it, and fall back on it only when a
     * record has no {@code content-type}.
     */
    public static final String LEGACY_CE_DATACONTENTTYPE = "ce_datacontenttype";

    /** W3C Trace Context header, carried as a Kafka header. */
    public static final String TRACEPARENT = "traceparent";

    private static final String SOURCE_PREFIX = "/tributary/";

    private CloudEventKafka() {}

    /** The {@code ce_source} of a service, e.g. {@code /tributary/trigger-service}. */
    public static String source(String service) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("service name is required");
        }
        return SOURCE_PREFIX + service;
    }

    /**
     * A SmallRye Reactive Messaging message carrying the CloudEvent attributes and the record key
     * and topic. The payload is serialized by the channel's value serializer: use {@link
     * EventSerializer} (or Quarkus' ObjectMapper configured by {@link EventJson#configure}) so it
     * is the contract's JSON.
     *
     * <p>The content type travels as the record's {@code content-type} header, not as the
     * CloudEvent metadata's data content type: given that, SmallRye's binary writer would add a
     * {@code ce_datacontenttype} header as well, which the binding does not have.
     */
    public static <T> Message<T> message(
            EventType type, String ceId, String key, T data, String source) {
        return message(type, ceId, key, data, source, now());
    }

    /** See {@link #message(EventType, String, String, Object, String)}, with an explicit time. */
    public static <T> Message<T> message(
            EventType type, String ceId, String key, T data, String source, Instant time) {
        requireAttributes(type, ceId, key, data, source);
        OutgoingCloudEventMetadata<T> cloudEvent =
                OutgoingCloudEventMetadata.<T>builder()
                        .withId(ceId)
                        .withType(type.type())
                        .withSource(URI.create(source))
                        .withSubject(key)
                        .withDataSchema(type.dataSchema())
                        .withTimestamp(time.atZone(ZoneOffset.UTC))
                        .build();
        Headers headers = new RecordHeaders();
        put(headers, CONTENT_TYPE, JSON);
        OutgoingKafkaRecordMetadata<String> kafka =
                OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(key)
                        .withTopic(type.topic())
                        .withHeaders(headers)
                        .build();
        return Message.of(data).addMetadata(cloudEvent).addMetadata(kafka);
    }

    /** A plain Kafka record of the event, on its type's topic, timed now. */
    public static ProducerRecord<String, byte[]> record(
            EventType type, String ceId, String key, Object data, String source) {
        return record(type, ceId, key, data, source, now(), null);
    }

    /**
     * A plain Kafka record of the event.
     *
     * @param traceparent the W3C trace context to propagate, or null
     */
    public static ProducerRecord<String, byte[]> record(
            EventType type,
            String ceId,
            String key,
            Object data,
            String source,
            Instant time,
            String traceparent) {
        requireAttributes(type, ceId, key, data, source);
        Headers headers = new RecordHeaders();
        put(headers, CE_SPECVERSION, SPEC_VERSION);
        put(headers, CE_ID, ceId);
        put(headers, CE_SOURCE, source);
        put(headers, CE_TYPE, type.type());
        put(headers, CE_TIME, time.toString());
        put(headers, CE_SUBJECT, key);
        put(headers, CE_DATASCHEMA, type.dataSchema().toString());
        put(headers, CONTENT_TYPE, JSON);
        if (traceparent != null) {
            put(headers, TRACEPARENT, traceparent);
        }
        byte[] value = data instanceof byte[] bytes ? bytes : EventJson.toBytes(data);
        return new ProducerRecord<>(type.topic(), null, key, value, headers);
    }

    /** Reads a consumed record; see {@link #read(String, Headers, byte[])}. */
    public static Parsed read(ConsumerRecord<String, byte[]> record) {
        if (record == null) {
            return new Parsed.Invalid("no record");
        }
        return read(record.key(), record.headers(), record.value());
    }

    /** Reads headers and value of a record without a key. */
    public static Parsed read(Headers headers, byte[] value) {
        return read(null, headers, value);
    }

    /**
     * Reads a CloudEvent in binary mode (or, tolerated for third-party producers, structured mode:
     * {@code content-type: application/cloudevents+json}). Never throws: a record without the
     * required attributes, with a bad time or with a value that is not a JSON object is {@link
     * Parsed.Invalid}. An unknown {@code ce_type} is still {@link Parsed.Ok}. Records written
     * before 0.2.1 that also carry {@code ce_datacontenttype} read the same as before.
     */
    public static Parsed read(String key, Headers headers, byte[] value) {
        try {
            if (headers == null) {
                return new Parsed.Invalid("no headers");
            }
            String contentType = header(headers, CONTENT_TYPE);
            if (contentType == null) {
                contentType = header(headers, LEGACY_CE_DATACONTENTTYPE);
            }
            if (contentType != null
                    && contentType.toLowerCase(Locale.ROOT).startsWith("application/cloudevents")) {
                return readStructured(key, headers, value);
            }
            if (contentType != null && !contentType.toLowerCase(Locale.ROOT).contains("json")) {
                return new Parsed.Invalid("content-type is not JSON: " + contentType);
            }
            return build(
                    header(headers, CE_SPECVERSION),
                    header(headers, CE_ID),
                    header(headers, CE_SOURCE),
                    header(headers, CE_TYPE),
                    header(headers, CE_TIME),
                    header(headers, CE_SUBJECT),
                    header(headers, CE_DATASCHEMA),
                    key,
                    header(headers, TRACEPARENT),
                    value == null ? null : parseData(value));
        } catch (RuntimeException e) {
            // Last resort: a consumer must never die on one bad record.
            return new Parsed.Invalid("unreadable record: " + e);
        }
    }

    /** Reads and also checks the data against its type's schema (unknown types pass unchecked). */
    public static Parsed readValidated(ConsumerRecord<String, byte[]> record) {
        Parsed parsed = read(record);
        if (parsed instanceof Parsed.Ok ok) {
            var errors = ok.event().validate();
            if (!errors.isEmpty()) {
                return new Parsed.Invalid(
                        ok.event().type() + " data does not match its schema: " + errors);
            }
        }
        return parsed;
    }

    /**
     * What a pipeline consumer does with a record: the event when it is a valid contract event of a
     * known type; empty for a type this version does not know (a newer producer's: not an error); a
     * {@link RejectedRecordException} for anything else, which the channel's failure strategy
     * dead-letters with the reason.
     */
    public static Optional<ReceivedEvent> readKnown(ConsumerRecord<String, byte[]> record) {
        Parsed parsed = readValidated(record);
        if (parsed instanceof Parsed.Invalid invalid) {
            throw new RejectedRecordException(invalid.reason());
        }
        ReceivedEvent event = ((Parsed.Ok) parsed).event();
        return event.eventType().isPresent() ? Optional.of(event) : Optional.empty();
    }

    private static Parsed readStructured(String key, Headers headers, byte[] value) {
        JsonNode envelope = value == null ? null : parseData(value);
        if (envelope == null || !envelope.isObject()) {
            return new Parsed.Invalid("structured CloudEvent value is not a JSON object");
        }
        if (envelope.has("data_base64")) {
            return new Parsed.Invalid("binary data (data_base64) is not supported");
        }
        return build(
                text(envelope, "specversion"),
                text(envelope, "id"),
                text(envelope, "source"),
                text(envelope, "type"),
                text(envelope, "time"),
                text(envelope, "subject"),
                text(envelope, "dataschema"),
                key,
                header(headers, TRACEPARENT),
                envelope.has("data") ? envelope.get("data") : null);
    }

    private static Parsed build(
            String specVersion,
            String id,
            String source,
            String type,
            String time,
            String subject,
            String dataSchema,
            String key,
            String traceparent,
            JsonNode data) {
        if (specVersion == null) {
            return new Parsed.Invalid("missing " + CE_SPECVERSION);
        }
        if (!specVersion.equals(SPEC_VERSION)) {
            return new Parsed.Invalid("unsupported " + CE_SPECVERSION + " " + specVersion);
        }
        if (blank(id)) {
            return new Parsed.Invalid("missing " + CE_ID);
        }
        if (blank(source)) {
            return new Parsed.Invalid("missing " + CE_SOURCE);
        }
        if (blank(type)) {
            return new Parsed.Invalid("missing " + CE_TYPE);
        }
        Instant parsedTime = null;
        if (time != null) {
            try {
                parsedTime = java.time.OffsetDateTime.parse(time).toInstant();
            } catch (DateTimeParseException e) {
                return new Parsed.Invalid("bad " + CE_TIME + " '" + time + "'");
            }
        }
        URI schema = null;
        if (dataSchema != null) {
            try {
                schema = new URI(dataSchema);
            } catch (URISyntaxException e) {
                return new Parsed.Invalid("bad " + CE_DATASCHEMA + " '" + dataSchema + "'");
            }
        }
        if (data == null) {
            return new Parsed.Invalid("no data (null value)");
        }
        if (data.isMissingNode()) {
            return new Parsed.Invalid("value is not JSON");
        }
        if (!data.isObject()) {
            return new Parsed.Invalid("data is not a JSON object");
        }
        return new Parsed.Ok(
                new ReceivedEvent(
                        id, source, type, parsedTime, subject, schema, key, traceparent, data));
    }

    /** The JSON tree, or a MissingNode for garbage (so the caller can say why). */
    private static JsonNode parseData(byte[] value) {
        try {
            return EventJson.tree(value);
        } catch (IllegalArgumentException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    /** The last value of a header as UTF-8, or null. */
    public static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null
                ? null
                : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static Instant now() {
        // Milliseconds are plenty and keep ce_time short and comparable across producers.
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static void requireAttributes(
            EventType type, String ceId, String key, Object data, String source) {
        if (type == null || blank(ceId) || blank(key) || data == null || blank(source)) {
            throw new IllegalArgumentException(
                    "type, ceId, key, data and source are all required (type="
                            + type
                            + ", ceId="
                            + ceId
                            + ", key="
                            + key
                            + ", source="
                            + source
                            + ")");
        }
    }
}
