package io.tributary.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every golden sample fits its record exactly and its schema. */
class GoldenSamplesTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void sampleRoundTripsThroughItsRecord(EventType type) {
        JsonNode sample = Samples.tree(type);

        Object data = EventJson.read(Samples.text(type), type.dataClass());

        assertInstanceOf(type.dataClass(), data);
        // Tree equality: field order and number formatting do not matter, names and values do.
        assertEquals(sample, EventJson.tree(EventJson.toJson(data)), type + " re-serialized");
        assertEquals(data, EventJson.read(EventJson.toBytes(data), type.dataClass()));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void sampleMatchesItsSchema(EventType type) {
        assertEquals(java.util.List.of(), EventSchemas.validate(type, Samples.tree(type)));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void recordKnowsItsOwnType(EventType type) {
        Object data = EventJson.read(Samples.text(type), type.dataClass());
        EventType derived = type;
        if (data instanceof SyncFinished finished) {
            derived = finished.ceType();
        } else if (data instanceof TransformEvent transform) {
            derived = transform.ceType();
        } else if (data instanceof NotificationEvent notification) {
            derived = notification.ceType();
        }
        assertEquals(type, derived);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaIdIsTheDataSchemaUri(EventType type) {
        JsonNode schema = EventJson.tree(EventContract.schemaJson(type));
        assertEquals(type.dataSchema().toString(), schema.path("$id").asText());
        assertEquals(type.type(), schema.path("title").asText());
        assertTrue(schema.path("additionalProperties").asBoolean(), "forward compatible");
    }
}
