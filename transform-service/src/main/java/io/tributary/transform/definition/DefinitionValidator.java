package io.tributary.transform.definition;

import io.tributary.events.EventJson;
import io.tributary.transform.config.TransformConfig;
import io.tributary.transform.definition.TransformDefinition.CloudJob;
import io.tributary.transform.definition.TransformDefinition.Profile;
import io.tributary.transform.definition.TransformDefinition.Upstream;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a definition before it is saved, so that nothing a caller writes can become a dbt option,
 * a shell word, a Jinja expression or a path outside the projects root. dbt is never started
 * through a shell, but selectors, vars and paths are still refused at the door when they do not
 * look like what they claim to be.
 */
@ApplicationScoped
public class DefinitionValidator {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    static final Pattern TARGET = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,63}");
    static final Pattern CONNECTION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    static final Pattern VAR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    static final Pattern ENV_PREFIX = Pattern.compile("[A-Z][A-Z0-9_]{0,40}");

    /**
     * One dbt selector: graph operators ({@code +}, {@code @}, {@code n+}), methods ({@code tag:x},
     * {@code path:models/staging}, {@code config.materialized:view}), wildcards and intersections
     * ({@code a,b}). Never an option, a quote, a shell or Jinja character.
     */
    static final Pattern SELECTOR = Pattern.compile("[A-Za-z0-9_+@*][A-Za-z0-9_.:/*+@,-]{0,199}");

    /** A stream's name and namespace as they may reach a dbt selector (nothing dbt parses). */
    public static final Pattern STREAM_NAME = Pattern.compile("[A-Za-z0-9_]{1,128}");

    public static final Pattern STREAM_NAMESPACE =
            Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    /** A dbt source name or table name in a {@code source:<source>.<table>} selector. */
    public static final Pattern SOURCE_PART = Pattern.compile("[A-Za-z0-9_]{1,128}");

    static final Set<String> CHANGED_COMMANDS = Set.of("build", "run", "test");
    static final int MAX_RETRIES = 10;
    static final Set<String> COMMANDS = Set.of("build", "run", "test", "seed", "snapshot");
    static final Set<String> FULL_REFRESH_COMMANDS = Set.of("build", "run", "seed");
    static final Duration MAX_TIMEOUT = Duration.ofDays(1);
    static final Duration MAX_DEBOUNCE = Duration.ofHours(1);

    /** A project sub-directory inside the dbt container's project source. */
    static final Pattern CONTAINER_DIR = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./-]{0,199}");

    @Inject ProjectPaths paths;
    @Inject TransformConfig config;

    /** Throws {@link InvalidDefinitionException} listing every problem. */
    public void validate(TransformDefinition d) {
        List<String> problems = new ArrayList<>();
        if (d == null) {
            throw new InvalidDefinitionException(List.of("a transform definition is required"));
        }
        if (d.name() == null || !NAME.matcher(d.name()).matches()) {
            problems.add("name must match " + NAME.pattern());
        }
        String runner = d.runnerOrDefault();
        if (TransformDefinition.CLI.equals(runner)) {
            checkCli(d, problems);
        } else if (TransformDefinition.CLOUD.equals(runner)) {
            checkCloud(d.cloud(), problems);
        } else if (TransformDefinition.KUBERNETES.equals(runner)) {
            checkKubernetes(d, problems);
        } else {
            problems.add("runner must be cli, cloud or kubernetes");
        }
        if (!COMMANDS.contains(d.commandOrDefault())) {
            problems.add("command must be one of build, run, test, seed, snapshot");
        } else if (d.fullRefreshOrDefault()
                && !FULL_REFRESH_COMMANDS.contains(d.commandOrDefault())) {
            problems.add("fullRefresh applies to build, run and seed only");
        }
        if (d.target() != null && !TARGET.matcher(d.target()).matches()) {
            problems.add("target must match " + TARGET.pattern());
        }
        if (d.selectsChanged()) {
            checkChanged(d, problems);
        } else {
            checkSelectors("select", d.select(), problems);
            if (d.streamSources() != null) {
                problems.add("streamSources applies to select: changed only");
            }
        }
        checkRetry(d, problems);
        checkSelectors("exclude", d.exclude(), problems);
        checkVars(d.vars(), problems);
        if (d.threads() != null && (d.threads() < 1 || d.threads() > 64)) {
            problems.add("threads must be between 1 and 64");
        }
        if (d.timeout() != null
                && (d.timeout().isNegative()
                        || d.timeout().isZero()
                        || d.timeout().compareTo(MAX_TIMEOUT) > 0)) {
            problems.add("timeout must be positive and at most P1D");
        }
        if (d.debounce() != null
                && (d.debounce().isNegative() || d.debounce().compareTo(MAX_DEBOUNCE) > 0)) {
            problems.add("debounce must be between PT0S and PT1H");
        }
        checkUpstream(d.upstream(), problems);
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException(problems);
        }
    }

    private void checkCli(TransformDefinition d, List<String> problems) {
        StringBuilder problem = new StringBuilder();
        if (paths.resolve(d.projectDir(), "dbt_project.yml", problem).isEmpty()) {
            problems.add("projectDir " + problem);
        }
        if (d.profilesDir() != null && d.profile() != null) {
            problems.add("give either profilesDir or profile, not both");
        } else if (d.profilesDir() == null && d.profile() == null) {
            problems.add("profilesDir or profile is required");
        } else if (d.profilesDir() != null) {
            problem.setLength(0);
            if (paths.resolve(d.profilesDir(), "profiles.yml", problem).isEmpty()) {
                problems.add("profilesDir " + problem);
            }
        } else {
            checkProfile(d.profile(), problems);
        }
        if (d.cloud() != null) {
            problems.add("cloud applies to runner: cloud only");
        }
    }

    private void checkKubernetes(TransformDefinition d, List<String> problems) {
        if (config.kubernetes().image().isEmpty()) {
            problems.add(
                    "runner: kubernetes is not available: this service has no Kubernetes runner"
                            + " (tributary.transform.kubernetes.image is not set)");
        }
        String dir = d.projectDir();
        if (dir != null
                && (!CONTAINER_DIR.matcher(dir).matches()
                        || List.of(dir.split("/")).contains(".."))) {
            problems.add(
                    "projectDir (runner: kubernetes) must be a relative directory inside the"
                            + " project source, matching "
                            + CONTAINER_DIR.pattern()
                            + " without ..");
        }
        if (d.profilesDir() != null || d.profile() != null) {
            problems.add(
                    "profilesDir and profile apply to runner: cli only (the dbt image reads"
                            + " /etc/dbt/profiles.yml)");
        }
        if (d.cloud() != null) {
            problems.add("cloud applies to runner: cloud only");
        }
    }

    private static void checkProfile(Profile p, List<String> problems) {
        if (!"postgres".equals(p.type())) {
            problems.add("profile.type must be postgres (the adapter installed with dbt here)");
        }
        if (p.envPrefix() == null || !ENV_PREFIX.matcher(p.envPrefix()).matches()) {
            problems.add("profile.envPrefix must match " + ENV_PREFIX.pattern());
        }
        if (p.name() != null && !TARGET.matcher(p.name()).matches()) {
            problems.add("profile.name must match " + TARGET.pattern());
        }
    }

    private static void checkCloud(CloudJob cloud, List<String> problems) {
        if (cloud == null
                || cloud.accountId() == null
                || cloud.jobId() == null
                || cloud.accountId() <= 0
                || cloud.jobId() <= 0) {
            problems.add("cloud.accountId and cloud.jobId (positive numbers) are required");
        }
    }

    private static void checkChanged(TransformDefinition d, List<String> problems) {
        if (!TransformDefinition.CLI.equals(d.runnerOrDefault())) {
            problems.add(
                    "select: changed needs runner: cli (a dbt Cloud job has its own selection)");
        }
        if (!CHANGED_COMMANDS.contains(d.commandOrDefault())) {
            problems.add("select: changed applies to build, run and test only");
        }
        Map<String, String> mapping = d.streamSourcesOrEmpty();
        if (mapping.size() > 500) {
            problems.add("streamSources maps at most 500 streams");
            return;
        }
        for (Map.Entry<String, String> e : mapping.entrySet()) {
            if (!isStreamKey(e.getKey())) {
                problems.add(
                        "streamSources key '"
                                + printable(String.valueOf(e.getKey()))
                                + "' must be <namespace>.<stream> (or <stream> without a"
                                + " namespace): letters, digits and _ (and . - in the namespace)");
            }
            if (!isSourceTable(e.getValue())) {
                problems.add(
                        "streamSources value '"
                                + printable(String.valueOf(e.getValue()))
                                + "' must be <source_name>.<table_name>: letters, digits and _");
            }
        }
    }

    /**
     * {@code <namespace>.<stream>} or {@code <stream>}: the stream is what follows the last dot.
     */
    public static boolean isStreamKey(String key) {
        if (key == null) {
            return false;
        }
        int dot = key.lastIndexOf('.');
        return dot < 0
                ? STREAM_NAME.matcher(key).matches()
                : STREAM_NAMESPACE.matcher(key.substring(0, dot)).matches()
                        && STREAM_NAME.matcher(key.substring(dot + 1)).matches();
    }

    /** {@code <source_name>.<table_name>}. */
    public static boolean isSourceTable(String value) {
        if (value == null) {
            return false;
        }
        String[] parts = value.split("\\.", -1);
        return parts.length == 2
                && SOURCE_PART.matcher(parts[0]).matches()
                && SOURCE_PART.matcher(parts[1]).matches();
    }

    private static void checkRetry(TransformDefinition d, List<String> problems) {
        TransformDefinition.RetryPolicy retry = d.retry();
        if (retry == null) {
            return;
        }
        if (!TransformDefinition.CLI.equals(d.runnerOrDefault())) {
            problems.add("retry needs runner: cli (dbt retry)");
        }
        if (retry.maxAttempts() == null
                || retry.maxAttempts() < 1
                || retry.maxAttempts() > MAX_RETRIES) {
            problems.add("retry.maxAttempts must be between 1 and " + MAX_RETRIES);
        }
        if (retry.backoff() != null
                && (retry.backoff().isNegative() || retry.backoff().compareTo(MAX_TIMEOUT) > 0)) {
            problems.add("retry.backoff must be between PT0S and P1D");
        }
    }

    static void checkSelectors(String field, String value, List<String> problems) {
        if (value == null) {
            return;
        }
        if (value.isBlank() || value.length() > 2000) {
            problems.add(field + " must be 1 to 2000 characters");
            return;
        }
        for (String token : value.trim().split("\\s+")) {
            if (!SELECTOR.matcher(token).matches() || token.contains("..")) {
                problems.add(
                        field
                                + " '"
                                + printable(token)
                                + "' is not a dbt selector (letters, digits and _ . : / * + @ ,"
                                + " - only; no leading '-')");
            }
        }
    }

    static void checkVars(Map<String, Object> vars, List<String> problems) {
        if (vars == null) {
            return;
        }
        checkVarValue("vars", vars, 0, problems);
        if (problems.isEmpty() && EventJson.toJson(vars).length() > 10_000) {
            problems.add("vars must serialize to at most 10000 characters");
        }
    }

    private static void checkVarValue(String path, Object value, int depth, List<String> problems) {
        if (depth > 5) {
            problems.add(path + " nests too deep (at most 5 levels)");
            return;
        }
        if (value == null || value instanceof Boolean || value instanceof Number) {
            return;
        }
        if (value instanceof String s) {
            if (s.length() > 1000 || s.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                problems.add(path + " must be at most 1000 printable characters");
            } else if (s.contains("{{") || s.contains("{%") || s.contains("{#")) {
                problems.add(path + " must not contain Jinja ({{, {% or {#)");
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (!VAR_NAME.matcher(key).matches()) {
                    problems.add(
                            path
                                    + " key '"
                                    + printable(key)
                                    + "' must match "
                                    + VAR_NAME.pattern());
                } else {
                    checkVarValue(path + "." + key, e.getValue(), depth + 1, problems);
                }
            }
            return;
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                checkVarValue(path + "[" + i + "]", list.get(i), depth + 1, problems);
            }
            return;
        }
        problems.add(path + " has an unsupported value");
    }

    private static void checkUpstream(Upstream upstream, List<String> problems) {
        if (upstream == null) {
            return;
        }
        List<String> ids = upstream.connectionIds();
        if (ids == null || ids.isEmpty() || ids.size() > 50) {
            problems.add("upstream.connectionIds must list 1 to 50 connections");
        } else {
            Set<String> seen = new HashSet<>();
            for (String id : ids) {
                if (id == null || !CONNECTION_ID.matcher(id).matches()) {
                    problems.add(
                            "upstream.connectionIds '"
                                    + printable(String.valueOf(id))
                                    + "' is not a connection id");
                } else if (!seen.add(id)) {
                    problems.add("upstream.connectionIds lists " + id + " twice");
                }
            }
        }
        if (upstream.when() != null
                && !Upstream.ANY.equals(upstream.when())
                && !Upstream.ALL.equals(upstream.when())) {
            problems.add("upstream.when must be any or all");
        }
    }

    /** Echoes caller input safely: control characters shown as '?', at most 60 characters. */
    private static String printable(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "…" : clean;
    }
}
