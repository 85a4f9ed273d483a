package io.tributary.trigger.definition;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.ApiException;
import java.util.List;

/**
 * One condition on a webhook payload: the value at a JSON Pointer equals a value, or is one of
 * several. Scalars compare by their text ({@code 1} equals {@code "1"}), anything else exactly.
 */
public record FilterCondition(
        String pointer, @JsonProperty("equals") JsonNode value, List<JsonNode> in)
        implements DefinitionFilter {

    @Override
    public void validate(int index) {
        String where = "filter[" + index + "]";
        if (pointer == null || pointer.isEmpty() || !pointer.startsWith("/")) {
            throw ApiException.badRequest(where + ".pointer must be a JSON Pointer such as /ref");
        }
        try {
            JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                    where + ".pointer is not a JSON Pointer: " + e.getMessage());
        }
        boolean hasEquals = value != null && !value.isMissingNode();
        boolean hasIn = in != null;
        if (hasEquals == hasIn) {
            throw ApiException.badRequest(where + " needs exactly one of 'equals' and 'in'");
        }
        if (hasIn && in.isEmpty()) {
            throw ApiException.badRequest(where + ".in must list at least one value");
        }
    }

    public boolean matches(JsonNode payload) {
        JsonNode actual = payload.at(pointer);
        if (actual.isMissingNode()) {
            return false;
        }
        if (value != null) {
            return same(actual, value);
        }
        return in.stream().anyMatch(v -> same(actual, v));
    }

    private static boolean same(JsonNode actual, JsonNode expected) {
        if (actual.isValueNode() && expected.isValueNode()) {
            return !actual.isNull() && actual.asText().equals(expected.asText());
        }
        return actual.equals(expected);
    }
}
