package io.tributary.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.tributary.events.EventJson;

/**
 * The one way to read a definition body (hooks, schedules, rules, expectations...): strictly,
 * unlike events, whose unknown fields are tolerated. A typo such as {@code "fresness"} would
 * otherwise store a definition without what it meant, so an unknown, missing-primitive or ill-typed
 * field is a 400 whose detail names it.
 */
public final class StrictJson {
    private static final ObjectMapper STRICT = new ObjectMapper();

    static {
        EventJson.configure(STRICT);
        STRICT.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        STRICT.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        STRICT.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    private StrictJson() {}

    /**
     * The body as {@code type}.
     *
     * @throws ApiException 400 naming the offending field (JSON path) when it does not fit
     */
    public static <T> T read(JsonNode node, Class<T> type) {
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        try {
            return STRICT.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest(
                    Problems.jsonPath(e)
                            + ": unknown field (known: "
                            + e.getKnownPropertyIds().stream()
                                    .map(String::valueOf)
                                    .sorted()
                                    .toList()
                            + ")");
        } catch (JsonMappingException e) {
            String path = Problems.jsonPath(e);
            Throwable cause = e.getCause();
            String message =
                    cause instanceof IllegalArgumentException && cause.getMessage() != null
                            ? cause.getMessage()
                            : e.getOriginalMessage();
            int nl = message == null ? -1 : message.indexOf('\n');
            throw ApiException.badRequest(
                    (path.isEmpty() ? "" : path + ": ")
                            + (nl < 0 ? message : message.substring(0, nl)));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw ApiException.badRequest(
                    "malformed " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    /** A definition as a tree, with the contract's JSON settings. */
    public static JsonNode tree(Object value) {
        return STRICT.valueToTree(value);
    }
}
