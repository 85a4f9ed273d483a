package io.tributary.trigger.rule;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule condition on an event's data: clauses {@code field op value} joined by {@code &&}, e.g.
 * {@code rowsSynced > 0 && jobType == sync}. Fields are data fields (a dotted path reaches nested
 * ones); ops {@code == != > >= < <=}; values are numbers, words, or 'quoted' / "quoted" strings. A
 * missing field makes its clause false.
 */
public final class Condition {
    private static final Pattern CLAUSE =
            Pattern.compile(
                    "\\s*([A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z][A-Za-z0-9_]*)*)\\s*(==|!=|>=|<=|>|<)\\s*"
                            + "('[^']*'|\"[^\"]*\"|[A-Za-z0-9_.+-]+)\\s*");

    private record Clause(JsonPointer field, String op, String value) {}

    private final List<Clause> clauses;

    private Condition(List<Clause> clauses) {
        this.clauses = clauses;
    }

    /**
     * @throws IllegalArgumentException naming the clause that cannot be read
     */
    public static Condition parse(String text) {
        if (text == null || text.isBlank()) {
            return new Condition(List.of());
        }
        if (text.length() > 500) {
            throw new IllegalArgumentException("longer than 500 characters");
        }
        List<Clause> clauses = new ArrayList<>();
        for (String part : text.split("&&", -1)) {
            Matcher m = CLAUSE.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "'" + part.trim() + "' is not 'field op value' (ops: == != > >= < <=)");
            }
            String value = m.group(3);
            boolean quoted = value.startsWith("'") || value.startsWith("\"");
            if (quoted) {
                value = value.substring(1, value.length() - 1);
            }
            String op = m.group(2);
            if (!op.equals("==") && !op.equals("!=") && number(value) == null) {
                throw new IllegalArgumentException(
                        "'" + part.trim() + "' compares with a number only");
            }
            clauses.add(
                    new Clause(JsonPointer.compile("/" + m.group(1).replace('.', '/')), op, value));
        }
        return new Condition(clauses);
    }

    public boolean test(JsonNode data) {
        for (Clause c : clauses) {
            JsonNode actual = data.at(c.field);
            if (actual.isMissingNode() || actual.isNull() || !actual.isValueNode()) {
                return false;
            }
            if (!holds(actual, c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(JsonNode actual, Clause c) {
        BigDecimal expected = number(c.value);
        BigDecimal got = actual.isNumber() ? actual.decimalValue() : number(actual.asText());
        if (c.op.equals("==") || c.op.equals("!=")) {
            boolean equal =
                    expected != null && got != null
                            ? expected.compareTo(got) == 0
                            : actual.asText().equals(c.value);
            return c.op.equals("==") == equal;
        }
        if (got == null) {
            return false;
        }
        int cmp = got.compareTo(expected);
        switch (c.op) {
            case ">":
                return cmp > 0;
            case ">=":
                return cmp >= 0;
            case "<":
                return cmp < 0;
            default:
                return cmp <= 0;
        }
    }

    private static BigDecimal number(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
