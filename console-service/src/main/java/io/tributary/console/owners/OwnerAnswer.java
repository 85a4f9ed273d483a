package io.tributary.console.owners;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an owner answered: its status and JSON body, or (status 0) why there is no answer. Bad
 * answers are values here, never exceptions: a page shows what it can and says what it cannot.
 */
public record OwnerAnswer(Owner owner, int status, JsonNode body, String problem) {

    /** How {@link OwnerClient} words a timeout: {@code no answer within 2000 ms}. */
    static final String NO_ANSWER = "no answer";

    public boolean ok() {
        return status / 100 == 2;
    }

    public boolean reachable() {
        return status != 0;
    }

    /** One line for the page: the owner's problem detail, or why it did not answer. */
    public String message() {
        if (ok()) {
            return null;
        }
        if (!reachable()) {
            // A hung owner and a closed port call for different checks: say which it was.
            return problem != null && problem.startsWith(NO_ANSWER)
                    ? owner.service() + " did not answer" + problem.substring(NO_ANSWER.length())
                    : owner.service() + " is unreachable: " + problem;
        }
        String detail = body == null ? null : body.path("detail").asText(null);
        return owner.service() + " answered " + status + (detail == null ? "" : ": " + detail);
    }
}
