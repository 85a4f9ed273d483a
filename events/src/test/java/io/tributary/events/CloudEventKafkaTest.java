package io.tributary.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class CloudEventKafkaTest {

    private static final String SOURCE = CloudEventKafka.source("sync-monitor-service");
    private static final Instant TIME = Instant.parse("2026-11-21T10:16:37.123Z");
    private static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final SyncFinished data =
            EventJson.read(Samples.text(EventType.SYNC_SUCCEEDED), SyncFinished.class);
    private final String ceId = EventIds.derive("sync.ended", "42");

    @Test
    void sourceNamesTheService() {
        assertEquals("/tributary/sync-monitor-service", SOURCE);
    }

    @Test
    void recordCarriesEveryAttributeAsHeader() {
        ProducerRecord<String, byte[]> record = sample();

        assertEquals(Topics.SYNC_EVENTS, record.topic());
        assertEquals(data.connectionId(), record.key());
        Headers h = record.headers();
        assertEquals("1.0", CloudEventKafka.header(h, "ce_specversion"));
        assertEquals(ceId, CloudEventKafka.header(h, "ce_id"));
        assertEquals(SOURCE, CloudEventKafka.header(h, "ce_source"));
        assertEquals("io.tributary.sync.succeeded", CloudEventKafka.header(h, "ce_type"));
        assertEquals("2026-11-21T10:16:37.123Z", CloudEventKafka.header(h, "ce_time"));
        assertEquals(data.connectionId(), CloudEventKafka.header(h, "ce_subject"));
        assertEquals(
                "https://tributary.io/schemas/events/sync-succeeded.json",
                CloudEventKafka.header(h, "ce_dataschema"));
        assertEquals("application/json", CloudEventKafka.header(h, "content-type"));
        assertEquals(TRACE, CloudEventKafka.header(h, "traceparent"));
        assertEquals(Samples.tree(EventType.SYNC_SUCCEEDED), EventJson.tree(record.value()));
    }

    @Test
    void theContentTypeIsOnlyTheContentTypeHeader() {
        // The binding maps datacontenttype to content-type; a ce_datacontenttype would repeat it.
        Headers h = sample().headers();
        assertNull(h.lastHeader("ce_datacontenttype"));
        assertEquals(1, count(h, "content-type"));
        for (var header : h) {
            assertEquals(1, count(h, header.key()), header.key() + " appears more than once");
        }
    }

    @Test
    void recordsOfOlderProducersWithCeDatacontenttypeStillRead() {
        ProducerRecord<String, byte[]> old = sample();
        old.headers().add("ce_datacontenttype", "application/json".getBytes());

        ReceivedEvent event =
                CloudEventKafka.readValidated(consumed(old)).toOptional().orElseThrow();
        assertEquals(ceId, event.id());
        assertEquals(data, event.data(SyncFinished.class));

        // Without content-type, the old header still says what the value is.
        old.headers().remove("content-type");
        assertTrue(CloudEventKafka.read(consumed(old)).isOk());
        old.headers().remove("ce_datacontenttype").add("ce_datacontenttype", "text/csv".getBytes());
        assertInvalid(old, "content-type is not JSON: text/csv");
    }

    @Test
    void recordReadsBackUnchanged() {
        ProducerRecord<String, byte[]> sent = sample();

        Parsed parsed = CloudEventKafka.readValidated(consumed(sent));

        ReceivedEvent event = assertInstanceOf(Parsed.Ok.class, parsed).event();
        assertEquals(ceId, event.id());
        assertEquals(SOURCE, event.source());
        assertEquals(Optional.of(EventType.SYNC_SUCCEEDED), event.eventType());
        assertTrue(event.is(EventType.SYNC_SUCCEEDED));
        assertEquals(TIME, event.time());
        assertEquals(data.connectionId(), event.subject());
        assertEquals(data.connectionId(), event.key());
        assertEquals(EventType.SYNC_SUCCEEDED.dataSchema(), event.dataSchema());
        assertEquals(TRACE, event.traceparent());
        assertEquals(data, event.data(SyncFinished.class));
        assertEquals(List.of(), event.validate());
    }

    @Test
    void aResentEventKeepsItsId() {
        // Two sends of the end of job 42 (e.g. before and after a restart), each deriving the id.
        java.util.function.Supplier<String> send =
                () ->
                        CloudEventKafka.header(
                                CloudEventKafka.record(
                                                EventType.SYNC_SUCCEEDED,
                                                EventIds.derive("sync.ended", "42"),
                                                data.connectionId(),
                                                data,
                                                SOURCE)
                                        .headers(),
                                "ce_id");
        assertEquals(send.get(), send.get());
    }

    @Test
    void missingAttributesAreInvalidNotExceptions() {
        for (String header : List.of("ce_type", "ce_id", "ce_source", "ce_specversion")) {
            ProducerRecord<String, byte[]> sent = sample();
            sent.headers().remove(header);
            Parsed parsed = CloudEventKafka.read(consumed(sent));
            String reason = assertInstanceOf(Parsed.Invalid.class, parsed).reason();
            assertTrue(reason.contains(header), reason);
            assertTrue(parsed.toOptional().isEmpty());
            assertFalse(parsed.isOk());
        }
    }

    @Test
    void badValuesAreInvalidNotExceptions() {
        assertInvalid(withValue("{not json".getBytes(StandardCharsets.UTF_8)), "not JSON");
        assertInvalid(withValue("[1,2]".getBytes(StandardCharsets.UTF_8)), "JSON object");
        assertInvalid(withValue(new byte[0]), "not JSON");
        assertInvalid(withValue(null), "null value");
        ProducerRecord<String, byte[]> badTime = sample();
        badTime.headers().remove("ce_time").add("ce_time", "yesterday".getBytes());
        assertInvalid(badTime, "ce_time");
        ProducerRecord<String, byte[]> xml = sample();
        xml.headers().remove("content-type").add("content-type", "application/xml".getBytes());
        assertInvalid(xml, "content-type");
        assertInstanceOf(Parsed.Invalid.class, CloudEventKafka.read(null, (byte[]) null));
        assertInstanceOf(
                Parsed.Invalid.class, CloudEventKafka.read((ConsumerRecord<String, byte[]>) null));
    }

    @Test
    void dataThatBreaksTheSchemaIsInvalidWhenValidated() {
        var broken = Samples.copy(EventType.SYNC_SUCCEEDED);
        broken.remove("finishedAt");
        ProducerRecord<String, byte[]> sent = withValue(EventJson.toBytes(broken));

        assertTrue(CloudEventKafka.read(consumed(sent)).isOk(), "plain read checks the envelope");
        Parsed validated = CloudEventKafka.readValidated(consumed(sent));
        String reason = assertInstanceOf(Parsed.Invalid.class, validated).reason();
        assertTrue(reason.contains("finishedAt"), reason);
    }

    @Test
    void unknownTypesAreReadForConsumersToSkip() {
        ProducerRecord<String, byte[]> sent = sample();
        sent.headers().remove("ce_type").add("ce_type", "io.tributary.sync.paused".getBytes());

        ReceivedEvent event = CloudEventKafka.read(consumed(sent)).toOptional().orElseThrow();

        assertEquals("io.tributary.sync.paused", event.type());
        assertTrue(event.eventType().isEmpty());
        assertEquals(List.of(), event.validate());
    }

    @Test
    void structuredModeFromThirdPartiesIsUnderstood() {
        String envelope =
                "{\"specversion\":\"1.0\",\"id\":\"ext-1\",\"source\":\"/erp\","
                        + "\"type\":\"io.tributary.sync.requested\",\"time\":\"2026-11-21T10:15:30Z\","
                        + "\"datacontenttype\":\"application/json\",\"data\":"
                        + Samples.text(EventType.SYNC_REQUESTED)
                        + "}";
        Headers headers = new RecordHeaders();
        headers.add("content-type", "application/cloudevents+json; charset=UTF-8".getBytes());

        ReceivedEvent event =
                CloudEventKafka.read("k", headers, envelope.getBytes(StandardCharsets.UTF_8))
                        .toOptional()
                        .orElseThrow();

        assertEquals("ext-1", event.id());
        assertEquals(EventType.SYNC_REQUESTED, event.eventType().orElseThrow());
        assertEquals(JobType.SYNC, event.data(SyncRequested.class).jobType());
        assertNull(event.subject());
    }

    @Test
    void messageCarriesCloudEventAndKafkaMetadata() {
        Message<SyncFinished> message =
                CloudEventKafka.message(
                        EventType.SYNC_SUCCEEDED, ceId, data.connectionId(), data, SOURCE, TIME);

        assertEquals(data, message.getPayload());
        @SuppressWarnings("unchecked")
        OutgoingCloudEventMetadata<SyncFinished> ce =
                message.getMetadata(OutgoingCloudEventMetadata.class).orElseThrow();
        assertEquals(ceId, ce.getId());
        assertEquals("io.tributary.sync.succeeded", ce.getType());
        assertEquals(URI.create(SOURCE), ce.getSource());
        assertEquals(Optional.of(data.connectionId()), ce.getSubject());
        assertEquals(Optional.of(EventType.SYNC_SUCCEEDED.dataSchema()), ce.getDataSchema());
        // Set as the record's content-type header instead: SmallRye would write both headers.
        assertEquals(Optional.empty(), ce.getDataContentType());
        assertEquals(TIME, ce.getTimeStamp().orElseThrow().toInstant());
        assertEquals("1.0", ce.getSpecVersion());
        @SuppressWarnings("unchecked")
        OutgoingKafkaRecordMetadata<String> kafka =
                message.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
        assertEquals(data.connectionId(), kafka.getKey());
        assertEquals(Topics.SYNC_EVENTS, kafka.getTopic());
        assertEquals(
                "application/json", CloudEventKafka.header(kafka.getHeaders(), "content-type"));
        assertEquals(1, count(kafka.getHeaders(), "content-type"));
    }

    @Test
    void producersMustGiveEveryAttribute() {
        assertThrows(
                IllegalArgumentException.class,
                () -> CloudEventKafka.record(EventType.SYNC_STARTED, ceId, null, data, SOURCE));
        assertThrows(
                IllegalArgumentException.class,
                () -> CloudEventKafka.message(EventType.SYNC_STARTED, " ", "k", data, SOURCE));
    }

    private ProducerRecord<String, byte[]> sample() {
        return CloudEventKafka.record(
                EventType.SYNC_SUCCEEDED, ceId, data.connectionId(), data, SOURCE, TIME, TRACE);
    }

    private ProducerRecord<String, byte[]> withValue(byte[] value) {
        ProducerRecord<String, byte[]> s = sample();
        return new ProducerRecord<>(s.topic(), null, s.key(), value, s.headers());
    }

    private static void assertInvalid(ProducerRecord<String, byte[]> sent, String expected) {
        Parsed parsed = CloudEventKafka.read(consumed(sent));
        String reason = assertInstanceOf(Parsed.Invalid.class, parsed).reason();
        assertTrue(reason.contains(expected), reason);
    }

    private static int count(Headers headers, String name) {
        int n = 0;
        for (var ignored : headers.headers(name)) {
            n++;
        }
        return n;
    }

    /** What a consumer would receive for a sent record. */
    static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> sent) {
        ConsumerRecord<String, byte[]> record =
                new ConsumerRecord<>(sent.topic(), 0, 7L, sent.key(), sent.value());
        sent.headers().forEach(h -> record.headers().add(h));
        return record;
    }
}
