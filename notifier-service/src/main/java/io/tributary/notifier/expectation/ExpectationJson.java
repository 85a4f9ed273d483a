package io.tributary.notifier.expectation;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.StrictJson;

/**
 * Reads expectations strictly ({@link StrictJson}): a typo such as {@code "fresness"} would
 * otherwise store an expectation without its promise.
 */
final class ExpectationJson {
    private ExpectationJson() {}

    static ExpectationRequest read(JsonNode node) {
        return StrictJson.read(node, ExpectationRequest.class);
    }
}
