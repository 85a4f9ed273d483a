package io.tributary.console.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Typed settings of the console-service; every key can be overridden by an env var. */
@ConfigMapping(prefix = "tributary.console")
public interface ConsoleConfig {

    /** Base URL of the trigger-service (hooks, schedules, rules, Kafka triggers, syncs). */
    @WithDefault("http://127.0.0.1:8081")
    String triggerUrl();

    /** Base URL of the sync-monitor-service (jobs, connections, policies). */
    @WithDefault("http://127.0.0.1:8082")
    String monitorUrl();

    /** Base URL of the transform-service (transforms, dbt runs, manifests). */
    @WithDefault("http://127.0.0.1:8083")
    String transformUrl();

    /** Base URL of the notifier-service (subscriptions, deliveries). */
    @WithDefault("http://127.0.0.1:8084")
    String notifierUrl();

    /**
     * The token the console presents to the four services (write scope, so that actions can be
     * taken on a user's behalf; the user's own scope decides whether they may).
     */
    Optional<String> serviceToken();

    /** Every call to an owner answers within this, or the page says the owner is unreachable. */
    @WithDefault("PT2S")
    Duration ownerTimeout();

    /** How long owners' answers (health, definitions) are reused. */
    @WithDefault("PT5S")
    Duration ownerCacheTtl();

    /** A browser session lasts this long after sign-in. */
    @WithDefault("PT12H")
    Duration sessionTtl();

    /** Run details older than this are purged. */
    @WithDefault("P30D")
    Duration retention();

    /** Runs per page of the runs list. */
    @WithDefault("50")
    int pageSize();
}
