package io.tributary.trigger.definition;

import io.tributary.support.ApiException;
import io.tributary.support.cel.Conditions;
import io.tributary.support.cel.InvalidConditionException;

/** A definition's CEL condition (a rule's condition, a filter), checked when it is saved. */
final class ConditionField {
    static final int MAX_LENGTH = 4000;

    private ConditionField() {}

    /**
     * The expression, trimmed; null when absent or blank (no condition).
     *
     * @throws ApiException 400 naming the field, and line and column when it does not compile
     */
    static String check(String field, String expression, Conditions environment) {
        if (expression == null || expression.isBlank()) {
            return null;
        }
        String trimmed = expression.trim();
        if (trimmed.length() > MAX_LENGTH) {
            throw ApiException.badRequest(field + " is longer than " + MAX_LENGTH + " characters");
        }
        try {
            environment.compile(trimmed);
        } catch (InvalidConditionException e) {
            throw ApiException.badRequest(field + ": " + e.getMessage());
        }
        return trimmed;
    }
}
