package io.tributary.trigger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Typed settings of the trigger-service; every key can be overridden by an env var. */
@ConfigMapping(prefix = "tributary.trigger")
public interface TriggerConfig {

    /**
     * How long a webhook or API call waits for Kafka's acknowledgement of its requests before it is
     * told to retry (503; the requests stay stored and are sent when Kafka is back).
     */
    @WithDefault("10s")
    Duration publishTimeout();

    /**
     * How long the webhook endpoint reuses a hook it read. A change through this instance applies
     * at once; one through another replica (or the database) within this time. {@code 0s}: read
     * each time.
     */
    @WithDefault("1s")
    Duration hookCacheTtl();

    /** Webhook bodies above this size are refused with 413. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /**
     * How long received delivery ids are remembered to drop repeated deliveries (at least 3 days).
     */
    @WithDefault("P3D")
    Duration deliveryRetention();

    /** Accepted distance between a signed timestamp and this server's clock (both directions). */
    @WithDefault("5m")
    Duration signatureTolerance();

    /**
     * A schedule fire found this late (the service was down) follows the schedule's misfire policy.
     */
    @WithDefault("60s")
    Duration misfireThreshold();

    /** How often each instance looks for due schedules and Kafka triggers' trailing requests. */
    @WithDefault("1s")
    Duration tick();

    /** YAML file of hooks, schedules and rules upserted at start; none by default. */
    Optional<Path> definitionsFile();
}
