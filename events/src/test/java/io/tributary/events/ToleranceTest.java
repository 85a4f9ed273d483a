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
    void dataOfOlderProducersWithoutCorrelationIdsReadsAsTheFirstCorrelationId() {
        ObjectNode started = Samples.copy(EventType.TRANSFORM_STARTED);
        started.remove("correlationIds");
        ObjectNode manual = Samples.copy(EventType.TRANSFORM_FAILED);
        manual.remove("correlationIds");
        ObjectNode notification = Samples.copy(EventType.NOTIFICATION_DELIVERED);
        notification.remove("correlationId");

        assertEquals(
                List.of("6f1c2a7e-1b7d-4c55-9a0e-2d4b8f3c9e11"),
                EventJson.read(started, TransformEvent.class).correlationIds());
        assertEquals(List.of(), EventJson.read(manual, TransformEvent.class).correlationIds());
        assertEquals(null, EventJson.read(notification, NotificationEvent.class).correlationId());
        assertEquals(List.of(), EventSchemas.validate(EventType.TRANSFORM_STARTED, started));
        assertEquals(
                List.of(), EventSchemas.validate(EventType.NOTIFICATION_DELIVERED, notification));
    }

    @Test
    void constructorsWithoutTheNewFieldsStillWork() {
        TransformEvent event =
                new TransformEvent(
                        "shop-marts",
                        "run-1",
                        TransformStatus.STARTED,
                        "build",
                        null,
                        "prod",
                        new TransformTrigger(TransformTriggerKind.MANUAL, null, null),
                        Instant.parse("2026-11-21T10:16:40Z"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        "corr-1",
                        null);
        NotificationEvent notification =
                new NotificationEvent(
                        "sub", "slack", "id", "type", 1, DeliveryStatus.DELIVERED, "ok", "d-1");

        assertEquals(List.of("corr-1"), event.correlationIds());
        assertEquals(null, notification.correlationId());
    }

    @Test
    void enumsAreReadWhateverTheirCase() {
        ObjectNode sample = Samples.copy(EventType.SYNC_REQUESTED);
        sample.put("jobType", "RESET");
        assertEquals(JobType.RESET, EventJson.read(sample, SyncRequested.class).jobType());
    }
}
