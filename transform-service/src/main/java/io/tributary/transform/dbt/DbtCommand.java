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
        List<String> args =
                new ArrayList<>(
                        common(executable, d.commandOrDefault(), project, profiles, runDir));
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

    /**
     * {@code dbt retry} of an earlier run: its {@code run_results.json} is read from {@code
     * stateDir} (that run's own target directory), this run writes into its own; dbt reuses the
     * earlier run's command, selection, vars and target.
     */
    public static List<String> retryArguments(
            String executable, Path project, Path profiles, Path runDir, Path stateDir) {
        List<String> args = new ArrayList<>(common(executable, "retry", project, profiles, runDir));
        args.add("--state");
        args.add(stateDir.toString());
        return List.copyOf(args);
    }

    /** {@code dbt parse}: writes the project's {@code manifest.json} into the run's target. */
    public static List<String> parseArguments(
            String executable, TransformDefinition d, Path project, Path profiles, Path runDir) {
        List<String> args = new ArrayList<>(common(executable, "parse", project, profiles, runDir));
        if (d.target() != null) {
            args.add("--target");
            args.add(d.target());
        }
        if (d.vars() != null && !d.vars().isEmpty()) {
            args.add("--vars");
            args.add(EventJson.toJson(d.vars()));
        }
        return List.copyOf(args);
    }

    private static List<String> common(
            String executable, String command, Path project, Path profiles, Path runDir) {
        return List.of(
                executable,
                "--no-use-colors",
                "--log-format",
                "json",
                command,
                "--project-dir",
                project.toString(),
                "--profiles-dir",
                profiles.toString(),
                "--target-path",
                runDir.resolve("target").toString(),
                "--log-path",
                runDir.resolve("logs").toString());
    }

    static List<String> tokens(String selectors) {
        return Arrays.asList(selectors.trim().split("\\s+"));
    }
}
