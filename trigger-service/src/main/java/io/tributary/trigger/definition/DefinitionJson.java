package io.tributary.trigger.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.events.EventJson;
import io.tributary.support.ApiException;
import io.tributary.support.Problems;

/**
 * Reads definitions strictly: an unknown or ill-typed field is a 400 that names it. A condition in
 * a pre-CEL syntax is translated first ({@link LegacyConditions}).
 */
public final class DefinitionJson {
    private static final ObjectMapper STRICT = new ObjectMapper();

    static {
        EventJson.configure(STRICT);
        STRICT.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        STRICT.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    private DefinitionJson() {}

    public static <T> T read(JsonNode node, Class<T> type) {
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        try {
            return STRICT.treeToValue(LegacyConditions.upgrade(node, type), type);
        } catch (JsonMappingException e) {
            String path = Problems.jsonPath(e);
            String message = e.getOriginalMessage();
            Throwable root = e.getCause();
            if (root instanceof IllegalArgumentException && root.getMessage() != null) {
                message = root.getMessage();
            }
            int nl = message == null ? -1 : message.indexOf('\n');
            throw ApiException.badRequest(
                    (path.isEmpty() ? "" : path + ": ")
                            + (nl < 0 ? message : message.substring(0, nl)));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    public static JsonNode tree(Object value) {
        return STRICT.valueToTree(value);
    }
}
