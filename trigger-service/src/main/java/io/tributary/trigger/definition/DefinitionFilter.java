package io.tributary.trigger.definition;

import io.tributary.support.ApiException;
import java.util.List;

/** A filter condition of a definition, checked with its index for the error message. */
interface DefinitionFilter {
    int MAX = 20;

    void validate(int index);

    /** Checks a whole filter: at most {@link #MAX} conditions, none empty, each valid. */
    static void validateAll(List<? extends DefinitionFilter> conditions) {
        if (conditions.size() > MAX) {
            throw ApiException.badRequest("filter holds more than " + MAX + " conditions");
        }
        for (int i = 0; i < conditions.size(); i++) {
            if (conditions.get(i) == null) {
                throw ApiException.badRequest("filter[" + i + "] is empty");
            }
            conditions.get(i).validate(i);
        }
    }
}
