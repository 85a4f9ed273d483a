package io.tributary.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventTypeTest {

    @Test
    void everyTypeIsFoundByItsCeType() {
        for (EventType type : EventType.values()) {
            assertEquals(Optional.of(type), EventType.fromType(type.type()));
            assertTrue(Topics.ALL.contains(type.topic()));
            assertNotNull(getClass().getClassLoader().getResource(type.schemaResource()));
        }
        assertEquals(Optional.empty(), EventType.fromType("io.tributary.sync.paused"));
        assertEquals(Optional.empty(), EventType.fromType(null));
    }

    @Test
    void namesFollowTheContract() {
        assertEquals("io.tributary.sync.requested", EventType.SYNC_REQUESTED.type());
        assertEquals("tributary.sync.requests", EventType.SYNC_REQUESTED.topic());
        assertEquals(
                "https://tributary.io/schemas/events/sync-requested.json",
                EventType.SYNC_REQUESTED.dataSchema().toString());
        assertEquals(
                "io/tributary/events/schemas/transform-failed.json",
                EventType.TRANSFORM_FAILED.schemaResource());
        assertEquals(4, EventType.onTopic(Topics.SYNC_EVENTS).size());
    }

    @Test
    void terminalTypesEndARun() {
        assertTrue(EventType.SYNC_SUCCEEDED.isTerminal());
        assertTrue(EventType.SYNC_FAILED.isTerminal());
        assertTrue(EventType.SYNC_CANCELLED.isTerminal());
        assertTrue(EventType.TRANSFORM_FAILED.isTerminal());
        assertFalse(EventType.SYNC_REQUESTED.isTerminal());
        assertFalse(EventType.SYNC_STARTED.isTerminal());
        assertFalse(EventType.TRANSFORM_STARTED.isTerminal());
        assertEquals(EventType.SYNC_CANCELLED, EventType.syncFinished(SyncStatus.CANCELLED));
    }

    @Test
    void deadLetterTopicsArePerService() {
        assertEquals(
                "tributary.sync-monitor-service.dlq", Topics.deadLetter("sync-monitor-service"));
        assertThrows(IllegalArgumentException.class, () -> Topics.deadLetter("Bad Name"));
        assertThrows(IllegalArgumentException.class, () -> Topics.deadLetter(""));
    }
}
