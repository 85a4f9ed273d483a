package io.tributary.trigger.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventJson;
import io.tributary.events.Parsed;
import io.tributary.events.ReceivedEvent;
import io.tributary.support.cel.Condition;
import io.tributary.support.cel.Conditions;
import io.tributary.trigger.definition.KafkaPayloadFormat;
import io.tributary.trigger.definition.KafkaTriggerDefinition;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Reads an external record as its trigger's format says, then applies the trigger's CEL filter
 * ({@code data}: the JSON value, for CloudEvents the structured envelope; {@code key}, {@code
 * topic}, {@code headers} by lower-case name, the last value of each).
 */
final class KafkaRecords {
    private KafkaRecords() {}

    enum Verdict {
        MATCH,
        NO_MATCH,
        INVALID
    }

    record Evaluation(Verdict verdict, String reason) {
        static final Evaluation MATCH = new Evaluation(Verdict.MATCH, null);

        static Evaluation noMatch(String why) {
            return new Evaluation(Verdict.NO_MATCH, why);
        }

        static Evaluation invalid(String reason) {
            return new Evaluation(Verdict.INVALID, reason);
        }
    }

    static Evaluation evaluate(KafkaTriggerDefinition def, ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            // A tombstone (Debezium writes one after each delete): nothing to read, not an error.
            return Evaluation.noMatch("tombstone");
        }
        Headers headers = record.headers() == null ? new RecordHeaders() : record.headers();
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        JsonNode document;
        KafkaPayloadFormat format = def.format() == null ? KafkaPayloadFormat.JSON : def.format();
        if (format == KafkaPayloadFormat.JSON) {
            try {
                document = EventJson.tree(record.value());
            } catch (RuntimeException e) {
                return Evaluation.invalid("value is not JSON (format json)");
            }
            if (document == null || document.isMissingNode()) {
                return Evaluation.invalid("value is not JSON (format json)");
            }
        } else {
            String contentType = CloudEventKafka.header(headers, CloudEventKafka.CONTENT_TYPE);
            boolean structured =
                    contentType != null
                            && contentType
                                    .toLowerCase(Locale.ROOT)
                                    .startsWith("application/cloudevents");
            if (format == KafkaPayloadFormat.CLOUDEVENTS_STRUCTURED && !structured) {
                return Evaluation.invalid(
                        "not a structured CloudEvent: content-type is "
                                + (contentType == null ? "missing" : contentType)
                                + ", expected application/cloudevents+json");
            }
            if (format == KafkaPayloadFormat.CLOUDEVENTS_BINARY && structured) {
                return Evaluation.invalid(
                        "a structured CloudEvent where the trigger expects binary mode");
            }
            Parsed parsed = CloudEventKafka.read(key, headers, record.value());
            if (parsed instanceof Parsed.Invalid invalid) {
                return Evaluation.invalid("not a CloudEvent: " + invalid.reason());
            }
            document = envelope(((Parsed.Ok) parsed).event());
        }
        Condition filter = def.compiledFilter();
        if (filter == null) {
            return Evaluation.MATCH;
        }
        Map<String, Object> variables = new HashMap<>();
        variables.put("data", Conditions.toCel(document));
        variables.put("key", key == null ? "" : key);
        variables.put("topic", record.topic());
        variables.put("headers", headers(headers));
        return filter.test(variables) ? Evaluation.MATCH : Evaluation.noMatch("filter");
    }

    private static Map<String, String> headers(Headers headers) {
        Map<String, String> byName = new HashMap<>();
        for (Header h : headers) {
            if (h.value() != null) {
                byName.put(
                        h.key().toLowerCase(Locale.ROOT),
                        new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return byName;
    }

    /** A CloudEvent as its structured JSON envelope, whichever mode it came in. */
    static ObjectNode envelope(ReceivedEvent event) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("specversion", CloudEventKafka.SPEC_VERSION);
        node.put("id", event.id());
        node.put("source", event.source());
        node.put("type", event.type());
        if (event.subject() != null) {
            node.put("subject", event.subject());
        }
        if (event.time() != null) {
            node.put("time", event.time().toString());
        }
        if (event.dataSchema() != null) {
            node.put("dataschema", event.dataSchema().toString());
        }
        node.set("data", event.data());
        return node;
    }
}
