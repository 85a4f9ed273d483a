package io.tributary.support.cel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one condition language of Tributary: CEL (https://cel.dev) over an event's {@code data} and
 * its attributes. Conditions are checked when a definition is saved (an error names line and
 * column) and compiled once per expression.
 *
 * <p>Two environments: {@link #EVENTS} for CloudEvents (rules, subscriptions; variables {@code
 * data}, {@code id}, {@code type}, {@code source}, {@code subject}, {@code time}) and {@link
 * #WEBHOOKS} / {@link #KAFKA_RECORDS} for what arrives from outside ({@code data} is the JSON body
 * or record value; plus {@code headers}, and for records {@code key} and {@code topic}).
 */
public final class Conditions {
    // Before the environments below: they are built with it.
    private static final CelOptions OPTIONS =
            CelOptions.current().enableHeterogeneousNumericComparisons(true).build();

    public static final Conditions EVENTS =
            new Conditions(List.of("id", "type", "source", "subject", "time"), false);
    public static final Conditions WEBHOOKS = new Conditions(List.of(), true);
    public static final Conditions KAFKA_RECORDS = new Conditions(List.of("key", "topic"), true);

    /** Distinct expressions kept compiled; definitions hold few, so this is a safety bound only. */
    private static final int CACHE_LIMIT = 10_000;

    private final CelCompiler compiler;
    private final CelRuntime runtime;
    private final Map<String, Condition> cache = new ConcurrentHashMap<>();

    private Conditions(List<String> stringVariables, boolean headers) {
        CelCompilerBuilder builder =
                CelCompilerFactory.standardCelCompilerBuilder()
                        .setOptions(OPTIONS)
                        // has(), all(), exists(), exists_one(), map(), filter()
                        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                        .setResultType(SimpleType.BOOL)
                        .addVar("data", SimpleType.DYN);
        stringVariables.forEach(name -> builder.addVar(name, SimpleType.STRING));
        if (headers) {
            builder.addVar("headers", MapType.create(SimpleType.STRING, SimpleType.STRING));
        }
        this.compiler = builder.build();
        this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
    }

    /**
     * Compiles (or returns the cached) condition.
     *
     * @throws InvalidConditionException when it does not parse, names an unknown variable or is not
     *     a boolean; the message gives line and column
     */
    public Condition compile(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidConditionException("a condition is required", 0, 0);
        }
        Condition cached = cache.get(expression);
        if (cached != null) {
            return cached;
        }
        Condition compiled = doCompile(expression);
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(expression, compiled);
        return compiled;
    }

    private Condition doCompile(String expression) {
        CelValidationResult result = compiler.compile(expression);
        if (result.hasError()) {
            CelIssue first = result.getErrors().get(0);
            CelSourceLocation at = first.getSourceLocation();
            int line = at == null ? 0 : at.getLine();
            int column = at == null ? 0 : at.getColumn() + 1;
            String where = line > 0 ? "at line " + line + ", column " + column + ": " : "";
            throw new InvalidConditionException(
                    "invalid condition " + where + first.getMessage(), line, column);
        }
        try {
            return new Condition(expression, runtime.createProgram(result.getAst()));
        } catch (CelValidationException | CelEvaluationException e) {
            throw new InvalidConditionException("invalid condition: " + e.getMessage(), 0, 0);
        }
    }

    /** Variables for {@link #EVENTS}: the event's data and its CloudEvents attributes. */
    public static Map<String, Object> values(
            JsonNode data, String id, String type, String source, String subject, String time) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("data", toCel(data));
        values.put("id", nullToEmpty(id));
        values.put("type", nullToEmpty(type));
        values.put("source", nullToEmpty(source));
        values.put("subject", nullToEmpty(subject));
        values.put("time", nullToEmpty(time));
        return values;
    }

    /** A JSON tree as CEL values: objects → maps, arrays → lists, integers → int, etc. */
    public static Object toCel(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return dev.cel.common.values.NullValue.NULL_VALUE;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                map.put(field.getKey(), toCel(field.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(toCel(item)));
            return list;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asText();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
