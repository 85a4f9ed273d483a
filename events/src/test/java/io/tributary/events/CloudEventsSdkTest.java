package io.tributary.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventMessageDeserializer;
import io.cloudevents.rw.CloudEventContextWriter;
import io.cloudevents.rw.CloudEventWriter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorOutgoingConfiguration;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.impl.RuntimeKafkaSinkConfiguration;
import io.smallrye.reactive.messaging.kafka.impl.ce.KafkaCloudEventHelper;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CloudEvents Java SDK's Kafka deserializer, the binding's reference implementation, reads the
 * records our code produces for every event type: plain records ({@link CloudEventKafka#record})
 * and the records SmallRye's Kafka connector writes for a service's {@link
 * CloudEventKafka#message}. It must see every attribute once, with our values, and nothing else.
 */
class CloudEventsSdkTest {

    private static final String SOURCE = CloudEventKafka.source("events-test");
    private static final Instant TIME = Instant.parse("2026-11-21T10:16:37.123Z");
    private static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    /**
     * What a binary-mode record of ours holds, besides specversion (the SDK's reader's version).
     */
    private static final Set<String> ATTRIBUTES =
            Set.of("id", "source", "type", "time", "subject", "dataschema", "datacontenttype");

    @ParameterizedTest
    @EnumSource(EventType.class)
    void theSdkReadsOurPlainRecords(EventType type) {
        ProducerRecord<String, byte[]> record =
                CloudEventKafka.record(type, id(type), key(type), data(type), SOURCE, TIME, TRACE);

        assertTheSdkReads(type, record.topic(), record.headers(), record.value());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void theSdkReadsWhatSmallRyeSendsForOurMessages(EventType type) {
        Message<Object> message =
                CloudEventKafka.message(type, id(type), key(type), data(type), SOURCE, TIME);

        ProducerRecord<?, ?> sent = smallRyeBinaryRecord(message);
        byte[] value;
        try (EventSerializer serializer = new EventSerializer()) {
            value = serializer.serialize(sent.topic(), sent.headers(), sent.value());
        }

        assertEquals(key(type), sent.key());
        assertTheSdkReads(type, sent.topic(), sent.headers(), value);
    }

    private static Object data(EventType type) {
        return EventJson.read(Samples.text(type), type.dataClass());
    }

    private static String id(EventType type) {
        return EventIds.derive("sdk-test", type.type());
    }

    private static String key(EventType type) {
        return "key-of-" + type.schemaName();
    }

    private static void assertTheSdkReads(
            EventType type, String topic, Headers headers, byte[] value) {
        assertEquals(type.topic(), topic);
        assertNull(headers.lastHeader("ce_datacontenttype"), "the binding has no such header");

        CloudEvent event;
        try (CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
            event = deserializer.deserialize(topic, headers, value);
        }
        assertEquals(SpecVersion.V1, event.getSpecVersion());
        assertEquals(id(type), event.getId());
        assertEquals(type.type(), event.getType());
        assertEquals(URI.create(SOURCE), event.getSource());
        assertEquals(key(type), event.getSubject());
        assertEquals(TIME, event.getTime().toInstant());
        assertEquals(type.dataSchema(), event.getDataSchema());
        assertEquals("application/json", event.getDataContentType());
        assertEquals(Set.of(), event.getExtensionNames(), "no attribute beyond the contract's");
        assertArrayEquals(value, event.getData().toBytes());
        assertEquals(Samples.tree(type), EventJson.tree(event.getData().toBytes()));

        // Every attribute the SDK's binary reader finds, in the order it finds them: each once.
        MessageReader reader;
        try (CloudEventMessageDeserializer deserializer = new CloudEventMessageDeserializer()) {
            reader = deserializer.deserialize(topic, headers, value);
        }
        assertEquals(Encoding.BINARY, reader.getEncoding());
        List<String> seen = reader.read(AttributeRecorder::new);
        assertEquals(ATTRIBUTES.size(), seen.size(), "an attribute is set twice: " + seen);
        assertEquals(new TreeSet<>(ATTRIBUTES), new TreeSet<>(seen));
    }

    /** The record SmallRye's Kafka connector sends for a message (binary mode, its default). */
    private static ProducerRecord<?, ?> smallRyeBinaryRecord(Message<?> message) {
        @SuppressWarnings("unchecked")
        OutgoingKafkaRecordMetadata<?> kafka =
                message.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
        @SuppressWarnings("unchecked")
        OutgoingCloudEventMetadata<?> cloudEvent =
                message.getMetadata(OutgoingCloudEventMetadata.class).orElseThrow();
        RuntimeKafkaSinkConfiguration sink =
                RuntimeKafkaSinkConfiguration.buildFromConfiguration(
                        new KafkaConnectorOutgoingConfiguration(
                                channelConfig(
                                        Map.of(
                                                "channel-name", "events-test",
                                                "topic", kafka.getTopic(),
                                                "value.serializer",
                                                        EventSerializer.class.getName()))));
        return KafkaCloudEventHelper.createBinaryRecord(
                message, kafka.getTopic(), kafka, null, cloudEvent, sink);
    }

    /** A channel's configuration as the connector sees it: these entries, else its defaults. */
    private static Config channelConfig(Map<String, String> entries) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(entries, "channel", 100))
                .build();
    }

    /** Writes nothing: lists the attribute names the reader hands over. */
    private static final class AttributeRecorder implements CloudEventWriter<List<String>> {
        private final List<String> names = new ArrayList<>();

        AttributeRecorder(SpecVersion version) {
            assertEquals(SpecVersion.V1, version);
        }

        @Override
        public CloudEventContextWriter withContextAttribute(String name, String value) {
            names.add(name);
            return this;
        }

        @Override
        public List<String> end(CloudEventData data) {
            return names;
        }

        @Override
        public List<String> end() {
            return names;
        }
    }
}
