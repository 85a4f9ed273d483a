package io.tributary.transform.dbt;

import io.tributary.events.EventJson;
import io.tributary.transform.definition.TransformDefinition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The argument list of one dbt invocation. Each value is its own argument (no shell ever parses
 * it); the definition was validated when it was saved, so no value can start a new option.
 */
public final class DbtCommand {
    private DbtCommand() {}

    /**
     * @param project the real project directory
     * @param profiles the directory of the profiles.yml to use
     * @param runDir this run's own directory: {@code target/} and {@code logs/} go under it
     */
    public static List<String> arguments(
            String executable, TransformDefinition d, Path project, Path profiles, Path runDir) {
        List<String> args = new ArrayList<>();
        args.add(executable);
        args.add("--no-use-colors");
        args.add("--log-format");
        args.add("json");
        args.add(d.commandOrDefault());
        args.add("--project-dir");
        args.add(project.toString());
        args.add("--profiles-dir");
        args.add(profiles.toString());
        args.add("--target-path");
        args.add(runDir.resolve("target").toString());
        args.add("--log-path");
        args.add(runDir.resolve("logs").toString());
        if (d.target() != null) {
            args.add("--target");
            args.add(d.target());
        }
        if (d.select() != null) {
            args.add("--select");
            args.addAll(tokens(d.select()));
        }
        if (d.exclude() != null) {
            args.add("--exclude");
            args.addAll(tokens(d.exclude()));
        }
        if (d.vars() != null && !d.vars().isEmpty()) {
            // JSON is YAML: dbt reads it as the vars mapping.
            args.add("--vars");
            args.add(EventJson.toJson(d.vars()));
        }
        if (d.threads() != null) {
            args.add("--threads");
            args.add(Integer.toString(d.threads()));
        }
        if (d.fullRefreshOrDefault()) {
            args.add("--full-refresh");
        }
        return List.copyOf(args);
    }

    static List<String> tokens(String selectors) {
        return Arrays.asList(selectors.trim().split("\\s+"));
    }
}
