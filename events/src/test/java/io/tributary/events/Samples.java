package io.tributary.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The golden samples of src/test/resources/samples, one per ce_type. */
final class Samples {
    private Samples() {}

    static String path(EventType type) {
        return "samples/" + type.type() + ".json";
    }

    static String text(EventType type) {
        return EventContract.resource(path(type));
    }

    static JsonNode tree(EventType type) {
        return EventJson.tree(text(type));
    }

    /** A fresh, mutable copy of the sample. */
    static ObjectNode copy(EventType type) {
        return (ObjectNode) tree(type).deepCopy();
    }
}
