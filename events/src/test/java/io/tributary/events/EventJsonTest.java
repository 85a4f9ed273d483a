package io.tributary.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    private final SyncStarted started =
            new SyncStarted(
                    "9c3f1e42-5a8b-4d2c-8e7f-0a1b2c3d4e5f",
                    42,
                    JobType.SYNC,
                    List.of("6f1c2a7e-1b7d-4c55-9a0e-2d4b8f3c9e11"),
                    false,
                    Instant.parse("2026-11-21T10:15:30Z"),
                    "6f1c2a7e-1b7d-4c55-9a0e-2d4b8f3c9e11");

    @Test
    void timesAndDurationsAreStrings() {
        SyncFinished finished =
                SyncFinished.succeeded(started, Instant.parse("2026-11-21T10:16:35Z"), 10, 2048);

        JsonNode json = EventJson.tree(EventJson.toJson(finished));

        assertEquals("2026-11-21T10:15:30Z", json.get("startedAt").textValue());
        assertEquals("2026-11-21T10:16:35Z", json.get("finishedAt").textValue());
        assertEquals("PT1M5S", json.get("duration").textValue());
        assertEquals("succeeded", json.get("status").textValue());
        assertEquals("sync", json.get("jobType").textValue());
        assertFalse(json.has("reason"), "nulls are not written");
        assertFalse(json.has("message"));
        assertEquals(List.of(), EventSchemas.validate(EventType.SYNC_SUCCEEDED, json));
    }

    @Test
    void failureWithoutAJobFitsTheSchema() {
        SyncRequested request =
                EventJson.read(Samples.text(EventType.SYNC_REQUESTED), SyncRequested.class);
        SyncFinished failed =
                SyncFinished.failedWithoutJob(
                        request,
                        Instant.parse("2026-11-21T10:15:31Z"),
                        FailureReason.CONNECTION_NOT_FOUND,
                        "no connection 9c3f1e42-5a8b-4d2c-8e7f-0a1b2c3d4e5f in Airbyte");

        JsonNode json = EventJson.tree(failed);

        assertEquals("connection_not_found", json.get("reason").textValue());
        assertFalse(json.has("jobId"));
        assertEquals(EventType.SYNC_FAILED, failed.ceType());
        assertEquals(List.of(), EventSchemas.validateValue(EventType.SYNC_FAILED, failed));
    }

    @Test
    void configureMakesAnyMapperWriteTheSame() throws Exception {
        ObjectMapper quarkusLike = new ObjectMapper();
        EventJson.configure(quarkusLike);
        assertEquals(EventJson.toJson(started), quarkusLike.writeValueAsString(started));
    }

    @Test
    void badJsonIsAnIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> EventJson.tree("{oops"));
        assertThrows(IllegalArgumentException.class, () -> EventJson.tree(""));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> EventJson.read("{\"jobType\":\"full\"}", SyncRequested.class));
        assertTrue(e.getMessage().contains("SyncRequested"), e.getMessage());
    }
}
