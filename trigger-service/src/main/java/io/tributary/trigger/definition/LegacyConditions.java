package io.tributary.trigger.definition;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tributary.support.ApiException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The condition syntaxes of before CEL, accepted for one more release and translated to CEL
 * wherever a definition is read (API body, YAML file, stored row), with a deprecation warning once
 * per definition:
 *
 * <ul>
 *   <li>a rule's {@code condition}, clauses {@code field op value} joined by {@code &&} over the
 *       event's data: {@code rowsSynced > 0 && jobType == sync} becomes {@code data.rowsSynced > 0
 *       && data.jobType == 'sync'};
 *   <li>a hook's {@code filter}, a list of {@code {"pointer", "equals"|"in"}} over the body: {@code
 *       [{"pointer":"/ref","equals":"refs/heads/main"}]} becomes {@code data.ref ==
 *       'refs/heads/main'};
 *   <li>a Kafka trigger's {@code filter}, the same plus {@code {"header", "equals"|"in"}}: {@code
 *       {"header":"source","equals":"debezium"}} becomes {@code headers['source'] == 'debezium'}.
 * </ul>
 *
 * CEL compares typed values where the old syntaxes compared scalars by their text: an unquoted
 * number or {@code true}/{@code false} becomes a CEL number or bool, anything else a string (a
 * quoted {@code '5'} no longer equals the number 5). Numeric pointer segments index lists.
 */
final class LegacyConditions {
    private static final Logger LOG = Logger.getLogger(LegacyConditions.class);

    /** The old rule clause: a (dotted) data field, an operator, a number, word or quoted text. */
    private static final Pattern CLAUSE =
            Pattern.compile(
                    "\\s*([A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z][A-Za-z0-9_]*)*)\\s*(==|!=|>=|<=|>|<)\\s*"
                            + "('[^']*'|\"[^\"]*\"|[A-Za-z0-9_.+-]+)\\s*");

    /** The variables of CEL's event environment: a clause on one of these is CEL, not old. */
    private static final Set<String> EVENT_VARIABLES =
            Set.of("data", "id", "type", "source", "subject", "time");

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]{0,8}");
    private static final Set<String> RESERVED =
            Set.of(
                    "true",
                    "false",
                    "null",
                    "in",
                    "as",
                    "break",
                    "const",
                    "continue",
                    "else",
                    "for",
                    "function",
                    "if",
                    "import",
                    "let",
                    "loop",
                    "package",
                    "namespace",
                    "return",
                    "var",
                    "void",
                    "while");

    /** At most this many conditions in an old filter list. */
    private static final int MAX_FILTER_CONDITIONS = 20;

    /** Definitions already warned about (kind, id and CEL): once each per process. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private LegacyConditions() {}

    /** The definition's JSON with an old-syntax condition replaced by its CEL (warned once). */
    static JsonNode upgrade(JsonNode node, Class<?> type) {
        if (node == null || !node.isObject()) {
            return node;
        }
        if (type == RuleDefinition.class) {
            JsonNode condition = node.get("condition");
            if (condition != null && condition.isTextual()) {
                String cel = ruleCondition(condition.asText());
                if (cel != null) {
                    return replaced(node, "rule", "condition", cel);
                }
            }
        } else if (type == HookDefinition.class || type == KafkaTriggerDefinition.class) {
            JsonNode filter = node.get("filter");
            if (filter != null && filter.isArray()) {
                boolean kafka = type == KafkaTriggerDefinition.class;
                String cel = filter(filter, kafka);
                return replaced(node, kafka ? "kafka trigger" : "hook", "filter", cel);
            }
        }
        return node;
    }

    private static JsonNode replaced(JsonNode node, String kind, String field, String cel) {
        ObjectNode copy = ((ObjectNode) node).deepCopy();
        if (cel == null) {
            copy.remove(field);
            return copy;
        }
        copy.set(field, TextNode.valueOf(cel));
        String id = node.path("id").asText("");
        if (WARNED.add(kind + "\u0000" + id + "\u0000" + cel)) {
            LOG.warnf(
                    "%s %s: its %s uses the deprecated pre-CEL syntax, which goes away in the next"
                            + " release; it was translated to the CEL %s (write that instead)",
                    kind, id, field, cel);
        }
        return copy;
    }

    // ---------------------------------------------------------------- rule conditions

    /**
     * The CEL of an old rule condition, or null when the text is not one (then it is CEL): every
     * clause must read {@code field op value} with a field that is not a CEL variable.
     */
    static String ruleCondition(String text) {
        if (text.isBlank()) {
            return null;
        }
        List<Matcher> clauses = new ArrayList<>();
        for (String part : text.split("&&", -1)) {
            Matcher m = CLAUSE.matcher(part);
            if (!m.matches() || EVENT_VARIABLES.contains(m.group(1).split("\\.")[0])) {
                return null;
            }
            clauses.add(m);
        }
        List<String> cel = new ArrayList<>();
        for (Matcher m : clauses) {
            String op = m.group(2);
            String value = m.group(3);
            boolean quoted = value.startsWith("'") || value.startsWith("\"");
            BigDecimal number = quoted ? null : number(value);
            if (!op.equals("==") && !op.equals("!=") && number(unquote(value)) == null) {
                throw ApiException.badRequest(
                        "condition: '" + m.group().trim() + "' compares with a number only");
            }
            StringBuilder path = new StringBuilder("data");
            for (String segment : m.group(1).split("\\.")) {
                path.append(select(segment));
            }
            boolean ordering = !op.equals("==") && !op.equals("!=");
            String literal;
            if (ordering) {
                literal = numberLiteral(number(unquote(value)));
            } else if (number != null) {
                literal = numberLiteral(number);
            } else if (!quoted && (value.equals("true") || value.equals("false"))) {
                literal = value;
            } else {
                literal = string(unquote(value));
            }
            cel.add(path + " " + op + " " + literal);
        }
        return String.join(" && ", cel);
    }

    private static String unquote(String value) {
        boolean quoted = value.startsWith("'") || value.startsWith("\"");
        return quoted ? value.substring(1, value.length() - 1) : value;
    }

    private static BigDecimal number(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- filter lists

    /** The CEL of an old filter list (all conditions must hold), or null for an empty list. */
    static String filter(JsonNode conditions, boolean kafka) {
        if (conditions.size() > MAX_FILTER_CONDITIONS) {
            throw ApiException.badRequest(
                    "filter holds more than " + MAX_FILTER_CONDITIONS + " conditions");
        }
        List<String> cel = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            cel.add(condition(conditions.get(i), "filter[" + i + "]", kafka));
        }
        return cel.isEmpty() ? null : String.join(" && ", cel);
    }

    private static String condition(JsonNode c, String where, boolean kafka) {
        if (c == null || c.isNull()) {
            throw ApiException.badRequest(where + " is empty");
        }
        if (!c.isObject()) {
            throw ApiException.badRequest(where + " must be an object");
        }
        Set<String> known =
                kafka
                        ? Set.of("pointer", "header", "equals", "in")
                        : Set.of("pointer", "equals", "in");
        for (Iterator<String> names = c.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw ApiException.badRequest(where + ": unknown field '" + name + "'");
            }
        }
        JsonNode pointer = c.get("pointer");
        JsonNode header = c.get("header");
        if (kafka && (pointer == null) == (header == null)) {
            throw ApiException.badRequest(where + " needs exactly one of 'pointer' and 'header'");
        }
        boolean hasEquals = c.has("equals");
        JsonNode in = c.get("in");
        if (hasEquals == (in != null)) {
            throw ApiException.badRequest(where + " needs exactly one of 'equals' and 'in'");
        }
        if (in != null && (!in.isArray() || in.isEmpty())) {
            throw ApiException.badRequest(where + ".in must list at least one value");
        }
        if (header != null) {
            String name = header.asText();
            if (!header.isTextual() || name.isBlank() || name.length() > 200) {
                throw ApiException.badRequest(
                        where + ".header must name a header (1 to 200 chars)");
            }
            // Header values are text: compare with each value's text.
            String subject = "headers[" + string(name.toLowerCase(Locale.ROOT)) + "]";
            if (hasEquals) {
                return subject + " == " + string(text(c.get("equals")));
            }
            List<String> values = new ArrayList<>();
            in.forEach(v -> values.add(string(text(v))));
            return subject + " in [" + String.join(", ", values) + "]";
        }
        String subject = path(pointer, where, kafka ? "/op" : "/ref");
        if (hasEquals) {
            return subject + " == " + literal(c.get("equals"));
        }
        List<String> values = new ArrayList<>();
        in.forEach(v -> values.add(literal(v)));
        return subject + " in [" + String.join(", ", values) + "]";
    }

    /** A JSON Pointer on the document as a CEL selection on {@code data}. */
    private static String path(JsonNode pointer, String where, String example) {
        String text = pointer == null || !pointer.isTextual() ? "" : pointer.asText();
        if (text.isEmpty() || !text.startsWith("/")) {
            throw ApiException.badRequest(
                    where + ".pointer must be a JSON Pointer such as " + example);
        }
        JsonPointer compiled;
        try {
            compiled = JsonPointer.compile(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                    where + ".pointer is not a JSON Pointer: " + e.getMessage());
        }
        StringBuilder path = new StringBuilder("data");
        for (JsonPointer p = compiled; !p.matches(); p = p.tail()) {
            String segment = p.getMatchingProperty();
            path.append(INDEX.matcher(segment).matches() ? "[" + segment + "]" : select(segment));
        }
        return path.toString();
    }

    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }

    // ---------------------------------------------------------------- CEL text

    private static String select(String field) {
        return IDENTIFIER.matcher(field).matches() && !RESERVED.contains(field)
                ? "." + field
                : "[" + string(field) + "]";
    }

    /** A JSON value as a CEL literal. */
    static String literal(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isTextual()) {
            return string(value.asText());
        }
        if (value.isBoolean()) {
            return Boolean.toString(value.booleanValue());
        }
        if (value.isNumber()) {
            return numberLiteral(value.decimalValue());
        }
        List<String> items = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(v -> items.add(literal(v)));
            return "[" + String.join(", ", items) + "]";
        }
        value.fields()
                .forEachRemaining(
                        f -> items.add(string(f.getKey()) + ": " + literal(f.getValue())));
        return "{" + String.join(", ", items) + "}";
    }

    private static String numberLiteral(BigDecimal number) {
        try {
            return Long.toString(number.longValueExact());
        } catch (ArithmeticException notALong) {
            return Double.toString(number.doubleValue());
        }
    }

    /** A CEL string literal (single quotes, escapes for quotes, backslashes and controls). */
    static String string(String text) {
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20 || ch == 0x7f) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('\'').toString();
    }
}
