package io.tributary.transform.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

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
}
