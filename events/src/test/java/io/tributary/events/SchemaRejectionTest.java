package io.tributary.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The schemas reject data that breaks the contract, and accept what it allows. */
class SchemaRejectionTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyRequiredFieldIsEnforced(EventType type) {
        JsonNode required = EventJson.tree(EventContract.schemaJson(type)).path("required");
        assertTrue(required.size() >= 4, type + " lists its required fields");
        for (JsonNode field : required) {
            ObjectNode broken = Samples.copy(type);
            broken.remove(field.asText());
            assertRejected(type, broken, field.asText());
        }
    }

    @Test
    void wrongEnumIsRejected() {
        assertRejected(EventType.SYNC_REQUESTED, s -> s.put("jobType", "full_refresh"), "jobType");
        assertRejected(
                EventType.SYNC_REQUESTED,
                s -> ((ObjectNode) s.get("trigger")).put("kind", "cron"),
                "kind");
        assertRejected(EventType.SYNC_FAILED, s -> s.put("reason", "oops"), "reason");
        // A status that contradicts the ce_type.
        assertRejected(EventType.SYNC_SUCCEEDED, s -> s.put("status", "failed"), "status");
    }

    @Test
    void badFormatsAreRejected() {
        assertRejected(EventType.SYNC_REQUESTED, s -> s.put("requestedAt", "yesterday"), "date");
        assertRejected(
                EventType.SYNC_REQUESTED, s -> s.put("requestedAt", "2026-11-21 10:15"), "date");
        assertRejected(EventType.SYNC_REQUESTED, s -> s.put("connectionId", "conn-1"), "uuid");
        assertRejected(EventType.SYNC_SUCCEEDED, s -> s.put("duration", "65 seconds"), "duration");
        assertRejected(EventType.SYNC_SUCCEEDED, s -> s.put("duration", 65), "number duration");
        assertRejected(EventType.SYNC_STARTED, s -> s.put("jobId", "42"), "string jobId");
        assertRejected(EventType.SYNC_SUCCEEDED, s -> s.put("rowsSynced", -1), "negative rows");
        assertRejected(EventType.TRANSFORM_SUCCEEDED, s -> s.put("exitCode", 1), "exitCode");
        assertRejected(
                EventType.TRANSFORM_STARTED,
                s -> s.putArray("correlationIds").add(42),
                "numeric correlation id");
        assertRejected(
                EventType.TRANSFORM_SUCCEEDED, s -> s.put("correlationIds", "c-1"), "not a list");
        assertRejected(EventType.NOTIFICATION_FAILED, s -> s.put("correlationId", ""), "empty");
    }

    @Test
    void contractAllowsFailuresWithoutAJob() {
        ObjectNode rejected = Samples.copy(EventType.SYNC_FAILED);
        rejected.remove(List.of("jobId", "startedAt", "duration", "rowsSynced", "bytesSynced"));
        rejected.put("reason", "connection_not_found");
        assertEquals(List.of(), EventSchemas.validate(EventType.SYNC_FAILED, rejected));
    }

    @Test
    void durationsWithFractionsAndTimesWithOffsetsAreAccepted() {
        ObjectNode sample = Samples.copy(EventType.SYNC_SUCCEEDED);
        sample.put("duration", "PT48H0.125S");
        sample.put("finishedAt", "2026-11-21T12:16:37+02:00");
        assertEquals(List.of(), EventSchemas.validate(EventType.SYNC_SUCCEEDED, sample));
    }

    @Test
    void missingDataIsAnError() {
        assertFalse(EventSchemas.validate(EventType.SYNC_STARTED, null).isEmpty());
        assertFalse(
                EventSchemas.validate(EventType.SYNC_STARTED, EventJson.tree("[1,2]")).isEmpty());
    }

    private static void assertRejected(EventType type, Consumer<ObjectNode> change, String what) {
        ObjectNode broken = Samples.copy(type);
        change.accept(broken);
        assertRejected(type, broken, what);
    }

    private static void assertRejected(EventType type, JsonNode broken, String what) {
        List<String> errors = EventSchemas.validate(type, broken);
        assertFalse(errors.isEmpty(), type + " accepted a sample without a valid " + what);
    }
}
