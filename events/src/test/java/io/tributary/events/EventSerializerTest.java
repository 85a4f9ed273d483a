package io.tributary.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EventSerializerTest {

    @Test
    void writesTheContractJson() {
        Object data = EventJson.read(Samples.text(EventType.SYNC_FAILED), SyncFinished.class);
        try (EventSerializer serializer = new EventSerializer()) {
            byte[] bytes = serializer.serialize(Topics.SYNC_EVENTS, new RecordHeaders(), data);
            assertArrayEquals(EventJson.toBytes(data), bytes);
            assertEquals(Samples.tree(EventType.SYNC_FAILED), EventJson.tree(bytes));
            assertNull(serializer.serialize(Topics.SYNC_EVENTS, null));
        }
    }
}
