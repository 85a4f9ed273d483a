package io.tributary.transform.definition;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A transform: which dbt project to run, how, and when (its upstream Airbyte connections).
 *
 * @param name unique, {@code [a-z0-9][a-z0-9_-]*}; the Kafka key of its events
 * @param runner {@code cli} (default: the dbt CLI as a child process), {@code cloud} (a dbt Cloud
 *     job) or {@code kubernetes} (a Kubernetes Job running the dbt image)
 * @param projectDir dbt project directory, relative to {@code tributary.transform.projects-root}
 *     (or absolute inside it); for {@code kubernetes}, optional, a sub-directory of the project
 *     source in the container
 * @param profilesDir directory holding {@code profiles.yml}, same rules; or use {@code profile}
 * @param profile a profile built from environment variables instead of a profiles directory
 * @param target dbt target ({@code --target}); null: the profile's default
 * @param command {@code build} (default), {@code run}, {@code test}, {@code seed} or {@code
 *     snapshot}
 * @param select dbt node selection, space-separated selectors ({@code --select})
 * @param exclude dbt exclusion, space-separated selectors ({@code --exclude})
 * @param vars dbt variables ({@code --vars}, passed as JSON)
 * @param fullRefresh {@code --full-refresh} (build, run and seed only)
 * @param threads {@code --threads}; null: the profile's
 * @param timeout the run is killed after this long; null: {@code
 *     tributary.transform.default-timeout}
 * @param upstream the connections whose successful syncs trigger a run; null: manual runs only
 * @param debounce completions arriving within this window after the first one make one run
 * @param cloud the dbt Cloud job, for {@code runner: cloud}
 * @param streamSources with {@code select: changed}: explicit stream → dbt source table mapping,
 *     {@code "<namespace>.<stream>": "<source_name>.<table_name>"} (wins over the manifest's)
 * @param retry automatic {@code dbt retry} of runs that ended in error; null: none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransformDefinition(
        String name,
        String runner,
        String projectDir,
        String profilesDir,
        Profile profile,
        String target,
        String command,
        String select,
        String exclude,
        Map<String, Object> vars,
        Boolean fullRefresh,
        Integer threads,
        Duration timeout,
        Upstream upstream,
        Duration debounce,
        CloudJob cloud,
        Map<String, String> streamSources,
        RetryPolicy retry) {

    public static final String CLI = "cli";
    public static final String CLOUD = "cloud";
    public static final String KUBERNETES = "kubernetes";

    /** The {@code select} value that narrows each run to what its triggering syncs changed. */
    public static final String CHANGED = "changed";

    /** True for {@code select: changed}: each run selects what its syncs changed. */
    public boolean selectsChanged() {
        return CHANGED.equals(select == null ? null : select.trim());
    }

    /** The explicit stream mapping (empty when none). */
    public Map<String, String> streamSourcesOrEmpty() {
        return streamSources == null ? Map.of() : streamSources;
    }

    /** The runner, {@code cli} when not set. */
    public String runnerOrDefault() {
        return runner == null ? CLI : runner;
    }

    /** The dbt command, {@code build} when not set. */
    public String commandOrDefault() {
        return command == null ? "build" : command;
    }

    public boolean fullRefreshOrDefault() {
        return Boolean.TRUE.equals(fullRefresh);
    }

    public Duration debounceOrZero() {
        return debounce == null ? Duration.ZERO : debounce;
    }

    /** The upstream connection ids (empty when the transform only runs on demand). */
    public List<String> upstreamConnections() {
        return upstream == null || upstream.connectionIds() == null
                ? List.of()
                : upstream.connectionIds();
    }

    /** True when every upstream connection must succeed before a run (fan-in). */
    public boolean waitsForAll() {
        return upstream != null && Upstream.ALL.equals(upstream.when());
    }

    /** A copy with another name (the API's path wins over the body). */
    public TransformDefinition withName(String newName) {
        return copy(newName, command, select);
    }

    /** A copy that runs {@code newCommand} with {@code newSelect} (null: everything). */
    public TransformDefinition withCommandAndSelect(String newCommand, String newSelect) {
        return copy(name, newCommand, newSelect);
    }

    private TransformDefinition copy(String newName, String newCommand, String newSelect) {
        return new TransformDefinition(
                newName,
                runner,
                projectDir,
                profilesDir,
                profile,
                target,
                newCommand,
                newSelect,
                exclude,
                vars,
                fullRefresh,
                threads,
                timeout,
                upstream,
                debounce,
                cloud,
                streamSources,
                retry);
    }

    /**
     * When a run starts.
     *
     * @param connectionIds the Airbyte connections this transform depends on
     * @param when {@code any} (default: each success triggers a run) or {@code all} (fan-in: once
     *     every listed connection has succeeded since the last run)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Upstream(List<String> connectionIds, String when) {
        public static final String ANY = "any";
        public static final String ALL = "all";
    }

    /**
     * A dbt profile generated for each run, its connection settings read by dbt from environment
     * variables {@code <envPrefix>_HOST}, {@code _PORT}, {@code _USER}, {@code _PASSWORD}, {@code
     * _DB} and {@code _SCHEMA} (set them with {@code tributary.transform.dbt-env.*} or pass them
     * through with {@code tributary.transform.pass-env}).
     *
     * @param type the adapter; {@code postgres} is supported
     * @param name the profile name, default: the project's {@code profile:} in {@code
     *     dbt_project.yml}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Profile(String type, String envPrefix, String name) {}

    /**
     * A dbt Cloud job triggered through the dbt Cloud API v2 (base URL and token come from the
     * service's configuration, never from the definition).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CloudJob(Long accountId, Long jobId) {}

    /**
     * Automatic retries: a run that ended in error (dbt's exit code 2, or a node with status {@code
     * error}) is retried with {@code dbt retry} after {@code backoff}, up to {@code maxAttempts}
     * times in a row; failed data tests (status {@code fail}) only with {@code
     * includeTestFailures}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RetryPolicy(Integer maxAttempts, Duration backoff, Boolean includeTestFailures) {
        public static final Duration DEFAULT_BACKOFF = Duration.ofMinutes(1);

        public int maxAttemptsOrZero() {
            return maxAttempts == null ? 0 : maxAttempts;
        }

        public Duration backoffOrDefault() {
            return backoff == null ? DEFAULT_BACKOFF : backoff;
        }

        public boolean retriesTestFailures() {
            return Boolean.TRUE.equals(includeTestFailures);
        }
    }
}
