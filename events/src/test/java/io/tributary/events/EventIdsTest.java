package io.tributary.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void sameEventSameId() {
        assertEquals(EventIds.derive("sync.ended", "42"), EventIds.derive("sync.ended", "42"));
        // A fixed value: ids must survive restarts and upgrades, so the derivation may not change.
        assertEquals("14ed9519-4816-35e8-a945-7a04b7924fd5", EventIds.derive("sync.ended", "42"));
        assertEquals(3, UUID.fromString(EventIds.derive("sync.ended", "42")).version());
    }

    @Test
    void differentEventsDifferentIds() {
        Set<String> ids = new HashSet<>();
        ids.add(EventIds.derive("sync.ended", "42"));
        ids.add(EventIds.derive("sync.ended", "43"));
        ids.add(EventIds.derive("sync.started", "42"));
        ids.add(EventIds.derive("sync.ended42"));
        ids.add(EventIds.derive("sync.ended", "4", "2"));
        ids.add(EventIds.derive("a:b", "c"));
        ids.add(EventIds.derive("a", "b:c"));
        assertEquals(7, ids.size());
        assertNotEquals(EventIds.random(), EventIds.random());
    }

    @Test
    void partsAreRequired() {
        assertThrows(IllegalArgumentException.class, EventIds::derive);
        assertThrows(IllegalArgumentException.class, () -> EventIds.derive("a", null));
    }
}
