package io.tributary.support.cel;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;

/**
 * A compiled CEL condition: thread-safe, evaluated many times. An evaluation error (a field the
 * event does not have, a type mismatch at run time) is a non-match, not an exception: a filter that
 * cannot be decided lets nothing through.
 */
public final class Condition {
    private final String expression;
    private final CelRuntime.Program program;

    Condition(String expression, CelRuntime.Program program) {
        this.expression = expression;
        this.program = program;
    }

    public String expression() {
        return expression;
    }

    /** True when the condition holds for these variables (see {@link Conditions#values}). */
    public boolean test(Map<String, ?> variables) {
        return evaluate(variables).matched();
    }

    /** The outcome with the reason of a failed evaluation, for logs and "why not" answers. */
    public Outcome evaluate(Map<String, ?> variables) {
        try {
            return new Outcome(Boolean.TRUE.equals(program.eval(variables)), null);
        } catch (CelEvaluationException | RuntimeException e) {
            return new Outcome(false, e.getMessage());
        }
    }

    /** Matched or not; {@code error} says why evaluation failed (then not matched). */
    public record Outcome(boolean matched, String error) {}

    @Override
    public String toString() {
        return expression;
    }
}
