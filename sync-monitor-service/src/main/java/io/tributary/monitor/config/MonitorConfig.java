package io.tributary.monitor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Typed settings of the sync-monitor-service; every key can be overridden by an env var. */
@ConfigMapping(prefix = "tributary.monitor")
public interface MonitorConfig {

    Airbyte airbyte();

    /** Default deadline of a job, after which it is cancelled and reported as timed out. */
    @WithDefault("PT12H")
    Duration defaultDeadline();

    interface Airbyte {
        /**
         * Public API base: {@code https://api.airbyte.com/v1} (Cloud) or {@code
         * http://host:8000/api/public/v1} (self-managed).
         */
        @WithDefault("http://localhost:8000/api/public/v1")
        String baseUrl();

        /** OAuth2 client credentials (Airbyte "applications"); empty for basic or no auth. */
        Optional<String> clientId();

        Optional<String> clientSecret();
    }
}
