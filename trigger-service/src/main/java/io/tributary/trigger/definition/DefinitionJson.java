package io.tributary.trigger.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.ApiException;
import io.tributary.support.StrictJson;

/**
 * Reads definitions strictly ({@link StrictJson}), after translating a condition in a pre-CEL
 * syntax ({@link LegacyConditions}).
 */
public final class DefinitionJson {
    private DefinitionJson() {}

    public static <T> T read(JsonNode node, Class<T> type) {
        JsonNode upgraded;
        try {
            upgraded = LegacyConditions.upgrade(node, type);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return StrictJson.read(upgraded, type);
    }

    public static JsonNode tree(Object value) {
        return StrictJson.tree(value);
    }
}
