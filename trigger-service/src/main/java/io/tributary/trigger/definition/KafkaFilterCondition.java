package io.tributary.trigger.definition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.ApiException;
import java.util.List;

/**
 * One condition on an external record: the value at a JSON Pointer of the payload ({@code pointer})
 * or a record header's text ({@code header}) equals a value, or is one of several. Scalars compare
 * by their text ({@code 1} equals {@code "1"}), anything else exactly.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KafkaFilterCondition(
        String pointer, String header, @JsonProperty("equals") JsonNode value, List<JsonNode> in)
        implements DefinitionFilter {

    @Override
    public void validate(int index) {
        String where = "filter[" + index + "]";
        if ((pointer == null) == (header == null)) {
            throw ApiException.badRequest(where + " needs exactly one of 'pointer' and 'header'");
        }
        if (pointer != null) {
            if (pointer.isEmpty() || !pointer.startsWith("/")) {
                throw ApiException.badRequest(
                        where + ".pointer must be a JSON Pointer such as /op");
            }
            try {
                JsonPointer.compile(pointer);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(
                        where + ".pointer is not a JSON Pointer: " + e.getMessage());
            }
        }
        if (header != null && (header.isBlank() || header.length() > 200)) {
            throw ApiException.badRequest(where + ".header must name a header (1 to 200 chars)");
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

    /**
     * @param document the payload as JSON (for CloudEvents: the structured envelope)
     * @param headerValue the header's last value as UTF-8 text, or null when absent
     */
    public boolean matches(JsonNode document, String headerValue) {
        if (header != null) {
            if (headerValue == null) {
                return false;
            }
            return value != null
                    ? text(value).equals(headerValue)
                    : in.stream().anyMatch(v -> text(v).equals(headerValue));
        }
        JsonNode actual = document == null ? null : document.at(pointer);
        if (actual == null || actual.isMissingNode()) {
            return false;
        }
        if (value != null) {
            return same(actual, value);
        }
        return in.stream().anyMatch(v -> same(actual, v));
    }

    private static String text(JsonNode node) {
        return node.isValueNode() ? node.asText() : node.toString();
    }

    private static boolean same(JsonNode actual, JsonNode expected) {
        if (actual.isValueNode() && expected.isValueNode()) {
            return !actual.isNull() && actual.asText().equals(expected.asText());
        }
        return actual.equals(expected);
    }
}
