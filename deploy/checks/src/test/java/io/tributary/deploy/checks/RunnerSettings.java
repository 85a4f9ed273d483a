package io.tributary.deploy.checks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of the transform-service's kubernetes runner, read from its source: the {@code
 * Kubernetes} group of {@code @ConfigMapping(prefix = "tributary.transform")} in
 * TransformConfig.java, so the overlays are held to the names the service really reads. Property
 * names are the methods in kebab case, nested groups joined with dots; a {@code Map} is a map.
 */
record RunnerSettings(Set<String> properties, Set<String> maps) {
    static final String PREFIX = "tributary.transform.kubernetes";
    static final Path SOURCE =
            Path.of(
                    "transform-service/src/main/java/io/tributary/transform/config/TransformConfig.java");

    private static final Pattern INTERFACE = Pattern.compile("\\binterface\\s+(\\w+)[^{]*\\{");
    private static final Pattern METHOD =
            Pattern.compile("(?m)^\\s*([\\w.]+(?:<[^;()]*>)?)\\s+(\\w+)\\(\\)\\s*;");

    /** Read from the repository; fails when the mapping has no Kubernetes group. */
    static RunnerSettings read() {
        Path file = Repo.root().resolve(SOURCE);
        if (!Files.isRegularFile(file)) {
            throw new AssertionError(SOURCE + " is missing: cannot check the runner's settings");
        }
        return parse(Repo.read(file));
    }

    static RunnerSettings parse(String java) {
        String code = java.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Map<String, String> bodies = new LinkedHashMap<>();
        Matcher m = INTERFACE.matcher(code);
        while (m.find()) {
            bodies.put(m.group(1), ownBody(code, m.end()));
        }
        if (!bodies.containsKey("Kubernetes")) {
            throw new AssertionError(
                    SOURCE
                            + " has no interface Kubernetes ("
                            + PREFIX
                            + "): the runner's settings");
        }
        Set<String> properties = new TreeSet<>();
        Set<String> maps = new TreeSet<>();
        collect(bodies, "Kubernetes", PREFIX, properties, maps, 0);
        return new RunnerSettings(properties, maps);
    }

    /** The body after an opening brace, without the bodies of nested types. */
    private static String ownBody(String code, int from) {
        StringBuilder own = new StringBuilder();
        int depth = 1;
        for (int i = from; i < code.length() && depth > 0; i++) {
            char c = code.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (depth == 1) {
                own.append(c);
            }
        }
        return own.toString();
    }

    private static void collect(
            Map<String, String> bodies,
            String type,
            String prefix,
            Set<String> properties,
            Set<String> maps,
            int depth) {
        if (depth > 5) {
            throw new AssertionError("nesting too deep at " + prefix);
        }
        Matcher m = METHOD.matcher(bodies.get(type));
        while (m.find()) {
            String returned = m.group(1);
            String name = prefix + "." + kebab(m.group(2));
            if (bodies.containsKey(returned)) {
                collect(bodies, returned, name, properties, maps, depth + 1);
            } else if (returned.startsWith("Map<")) {
                maps.add(name);
            } else {
                properties.add(name);
            }
        }
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** A property's environment variable (MicroProfile's rule: upper case, others to _). */
    static String env(String property) {
        return property.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * Whether an environment variable sets one of these settings. A map entry from the environment
     * is one word (SmallRye Config drops NODE_SELECTOR_NODE_POOL and turns the quoted form's
     * underscores into dots): {@code <MAP>_<WORD>} only.
     */
    boolean knowsVariable(String variable) {
        if (properties.stream().map(RunnerSettings::env).anyMatch(variable::equals)) {
            return true;
        }
        return maps.stream().anyMatch(map -> variable.matches(env(map) + "_[A-Z0-9]+"));
    }

    /** Whether a property key (application.properties) is one of these settings. */
    boolean knowsProperty(String key) {
        if (properties.contains(key)) {
            return true;
        }
        return maps.stream()
                .anyMatch(
                        map ->
                                key.startsWith(map + ".")
                                        && key.substring(map.length() + 1)
                                                .matches("\"[^\"]+\"|[^.\"]+"));
    }
}
