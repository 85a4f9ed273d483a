package io.tributary.transform.definition;

import java.util.List;

/** A definition that cannot be saved; {@link #problems()} says why, one line each. */
public class InvalidDefinitionException extends RuntimeException {
    private final List<String> problems;

    public InvalidDefinitionException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
