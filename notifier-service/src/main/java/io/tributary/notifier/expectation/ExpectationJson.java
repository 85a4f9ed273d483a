package io.tributary.notifier.expectation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.tributary.events.EventJson;
import io.tributary.support.ApiException;
import io.tributary.support.Problems;

/**
 * Reads expectations strictly (unlike events, whose unknown fields are tolerated): a typo such as
 * {@code "fresness"} would otherwise store an expectation without its promise, so an unknown or
 * ill-typed field is a 400 naming it.
 */
final class ExpectationJson {
    private static final ObjectMapper STRICT = new ObjectMapper();

    static {
        EventJson.configure(STRICT);
        STRICT.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        STRICT.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    private ExpectationJson() {}

    static ExpectationRequest read(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        try {
            return STRICT.treeToValue(node, ExpectationRequest.class);
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
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed expectation");
        }
    }
}
