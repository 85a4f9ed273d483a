package io.tributary.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Producers may add fields at any time: readers and schemas must not mind. */
class ToleranceTest {

    @Test
    void extraFieldsAreIgnoredByRecordsAndAllowedBySchemas() {
        String json = EventContract.resource("extra/sync-succeeded-with-extras.json");

        SyncFinished finished = EventJson.read(json, SyncFinished.class);

        assertEquals(42L, finished.jobId());
        assertEquals(SyncStatus.SUCCEEDED, finished.status());
        assertEquals(Duration.ofSeconds(65), finished.duration());
        assertEquals(Instant.parse("2026-11-21T10:16:37Z"), finished.finishedAt());
        assertEquals(
                List.of(), EventSchemas.validate(EventType.SYNC_SUCCEEDED, EventJson.tree(json)));
    }

    @Test
    void extraNestedFieldsAreIgnored() {
        ObjectNode sample = Samples.copy(EventType.TRANSFORM_FAILED);
        sample.withObject("/summary").put("runtimeErrors", 3);
        sample.withArray("/failures")
                .addObject()
                .put("uniqueId", "model.x")
                .put("status", "error")
                .put("relation", "analytics.x");

        TransformEvent event = EventJson.read(sample, TransformEvent.class);

        assertEquals(3, event.failures().size());
        assertEquals(1, event.summary().error());
        assertEquals(List.of(), EventSchemas.validate(EventType.TRANSFORM_FAILED, sample));
    }

    @Test
    void enumsAreReadWhateverTheirCase() {
        ObjectNode sample = Samples.copy(EventType.SYNC_REQUESTED);
        sample.put("jobType", "RESET");
        assertEquals(JobType.RESET, EventJson.read(sample, SyncRequested.class).jobType());
    }
}
