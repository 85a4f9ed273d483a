package io.tributary.transform.definition;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A transform: which dbt project to run, how, and when (its upstream Airbyte connections).
 *
 * @param name unique, {@code [a-z0-9][a-z0-9_-]*}; the Kafka key of its events
 * @param runner {@code cli} (default: the dbt CLI as a child process) or {@code cloud} (a dbt Cloud
 *     job)
 * @param projectDir dbt project directory, relative to {@code tributary.transform.projects-root}
 *     (or absolute inside it)
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
        CloudJob cloud) {

    public static final String CLI = "cli";
    public static final String CLOUD = "cloud";

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
        return new TransformDefinition(
                newName,
                runner,
                projectDir,
                profilesDir,
                profile,
                target,
                command,
                select,
                exclude,
                vars,
                fullRefresh,
                threads,
                timeout,
                upstream,
                debounce,
                cloud);
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
}
