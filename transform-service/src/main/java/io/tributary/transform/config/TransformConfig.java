package io.tributary.transform.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed settings of the transform-service; every key can be overridden by an env var. */
@ConfigMapping(prefix = "tributary.transform")
public interface TransformConfig {

    /** The dbt executable (from the project's virtual environment by default). */
    @WithDefault("dbt")
    String dbtExecutable();

    /** Where each run gets its own target and log directories. */
    @WithDefault("target/dbt-runs")
    Path runsDirectory();

    /** Default run timeout, after which the dbt process tree is killed. */
    @WithDefault("PT1H")
    Duration defaultTimeout();

    /**
     * Definitions' {@code projectDir} and {@code profilesDir} resolve against this directory and
     * must stay inside it.
     */
    @WithDefault(".")
    Path projectsRoot();

    /** A YAML file of transform definitions, upserted at start. */
    Optional<Path> definitionsFile();

    /**
     * Environment variables given to every dbt process (e.g. the warehouse credentials that
     * profiles.yml reads with {@code env_var}). Never logged, never on a command line.
     */
    Map<String, String> dbtEnv();

    /**
     * Names of this service's own environment variables passed through to dbt. Nothing else of the
     * service's environment reaches dbt (only PATH, HOME, LANG, LC_ALL, TZ and TMPDIR).
     */
    Optional<List<String>> passEnv();

    /** Runs executing at the same time in this instance (across different dbt projects). */
    @WithDefault("2")
    int maxConcurrentRuns();

    /** How often the worker looks for due runs, cancellations and stale runs. */
    @WithDefault("PT0.5S")
    Duration pollInterval();

    /** How often a running run's heartbeat (and log tail) is written. */
    @WithDefault("PT5S")
    Duration heartbeatInterval();

    /**
     * A run whose heartbeat is older than this was interrupted (its instance crashed or restarted):
     * it is marked failed and queued again once.
     */
    @WithDefault("PT30S")
    Duration staleAfter();

    /** After an interrupt (SIGINT) on timeout or cancel, how long dbt gets before SIGKILL. */
    @WithDefault("PT5S")
    Duration killGrace();

    /** How many lines of dbt's log each run keeps (for {@code GET /api/runs/{id}}). */
    @WithDefault("200")
    int logTailLines();

    /**
     * How many runs' dbt {@code manifest.json} are kept per transform (in the database, for {@code
     * GET /api/transforms/{name}/manifest}); older ones are deleted when a run stores its own.
     */
    @WithDefault("20")
    int manifestsKept();

    /**
     * {@code select: changed} needs the project's manifest: when no run of the project kept one,
     * {@code dbt parse} writes it, given this long before the run falls back to its full selection.
     */
    @WithDefault("PT2M")
    Duration manifestParseTimeout();

    /**
     * This instance's stable name (e.g. the pod name). When set, the runs a previous boot of the
     * same instance left {@code running} are marked failed at start, without waiting for {@code
     * stale-after}. Never give two live instances the same id.
     */
    Optional<String> instanceId();

    /** The Kubernetes runner ({@code runner: kubernetes}): each run as a Job. */
    Kubernetes kubernetes();

    /** Where and how dbt Jobs run (see README "Kubernetes runner"). */
    interface Kubernetes {
        /** The API server; default: the in-cluster configuration (or ~/.kube/config). */
        Optional<String> masterUrl();

        @WithDefault("tributary")
        String namespace();

        /** The dbt image (deploy/docker/dbt.Dockerfile); kubernetes runs are refused without it. */
        Optional<String> image();

        @WithDefault("IfNotPresent")
        String imagePullPolicy();

        @WithDefault("tributary-dbt")
        String serviceAccount();

        /** The Secret holding the warehouse credentials (only ever referenced, never read). */
        @WithDefault("tributary-warehouse")
        String warehouseSecret();

        /** Keys of that Secret given to dbt as environment variables of the same name. */
        @WithDefault("WAREHOUSE_USER,WAREHOUSE_PASSWORD")
        List<String> warehouseSecretKeys();

        /**
         * Non-secret connection settings given to dbt as literals (e.g. WAREHOUSE_HOST, _PORT,
         * _DB); a name that looks like a credential is refused.
         */
        Map<String, String> warehouseEnv();

        /** {@code image}, {@code git-sync} or {@code pvc}: where the dbt project comes from. */
        @WithDefault("image")
        String projectSource();

        /** The project's directory in the dbt container. */
        @WithDefault("/project")
        String projectDir();

        GitSync gitSync();

        Pvc pvc();

        Resources resources();

        Map<String, String> nodeSelector();

        /** {@code key=value:Effect}, {@code key:Effect} or {@code key=value} (effect: any). */
        Optional<List<String>> tolerations();

        /** Kubernetes runs executing at the same time (across instances); more wait queued. */
        @WithDefault("4")
        int maxConcurrentJobs();

        @WithDefault("3600")
        int ttlSecondsAfterFinished();

        /** A pod not running this long after its Job was created fails the run with the reason. */
        @WithDefault("PT5M")
        Duration scheduleTimeout();

        /** How often a Job and its pod are looked at (and a dropped log stream re-opened). */
        @WithDefault("PT2S")
        Duration pollInterval();
    }

    interface GitSync {
        Optional<String> repo();

        @WithDefault("main")
        String ref();

        @WithDefault("registry.k8s.io/git-sync/git-sync:v4.4.0")
        String image();
    }

    interface Pvc {
        Optional<String> claimName();
    }

    interface Resources {
        Quantities requests();

        Quantities limits();
    }

    interface Quantities {
        Optional<String> cpu();

        Optional<String> memory();
    }

    /** The dbt Cloud runner ({@code runner: cloud}). */
    Cloud cloud();

    interface Cloud {
        /** dbt Cloud's base URL (regional and cell tenants have their own). */
        @WithDefault("https://cloud.getdbt.com")
        URI baseUrl();

        /** A dbt Cloud service token; cloud runs fail without one. */
        Optional<String> token();

        /** How often a dbt Cloud run is polled. */
        @WithDefault("PT10S")
        Duration pollInterval();

        @WithDefault("PT10S")
        Duration connectTimeout();

        /** Each call's bound: its whole answer must have arrived within this time. */
        @WithDefault("PT30S")
        Duration readTimeout();

        /** Retries of a call that dbt Cloud refused or did not answer (5xx, 429, timeouts). */
        Retry retry();
    }

    /** Exponential backoff with jitter; a {@code Retry-After} answer is honoured. */
    interface Retry {
        @WithDefault("6")
        int maxRetries();

        @WithDefault("PT1S")
        Duration initialDelay();

        @WithDefault("PT30S")
        Duration maxDelay();

        /** Up to this much is added to or taken from each delay at random. */
        @WithDefault("PT0.5S")
        Duration jitter();

        /** A call and all its retries end within this time (the call's deadline). */
        @WithDefault("PT2M")
        Duration maxDuration();
    }
}
