package io.tributary.trigger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Typed settings of the trigger-service; every key can be overridden by an env var. */
@ConfigMapping(prefix = "tributary.trigger")
public interface TriggerConfig {

    /** How long a Kafka acknowledgement may take before a caller is told to retry (503). */
    @WithDefault("10s")
    Duration publishTimeout();

    /** Webhook bodies above this size are refused with 413. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /** How long received delivery ids are remembered to drop repeated deliveries. */
    @WithDefault("P3D")
    Duration deliveryRetention();
}
