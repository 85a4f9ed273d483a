package io.tributary.monitor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Typed settings of the sync-monitor-service; every key can be overridden by an env var. */
@ConfigMapping(prefix = "tributary.monitor")
public interface MonitorConfig {

    Airbyte airbyte();

    Poll poll();

    /** Default deadline of a job, after which it is cancelled and reported as timed out. */
    @WithDefault("PT12H")
    Duration defaultDeadline();

    /**
     * Secret path segment of {@code POST /airbyte/notifications/{secret}}; without it the endpoint
     * answers 404 to everything.
     */
    Optional<String> notificationSecret();

    interface Airbyte {
        /**
         * Public API base: {@code https://api.airbyte.com/v1} (Cloud) or {@code
         * http://host:8000/api/public/v1} (self-managed).
         */
        @WithDefault("http://localhost:8000/api/public/v1")
        String baseUrl();

        /** {@code client-credentials} (default), {@code basic} or {@code none}. */
        @WithDefault("client-credentials")
        AuthMode auth();

        /** OAuth2 client credentials (Airbyte "applications"); empty for basic or no auth. */
        Optional<String> clientId();

        Optional<String> clientSecret();

        /** Basic auth user and password (older or self-managed installs). */
        Optional<String> username();

        Optional<String> password();

        /** A token is refreshed this long before min(expires_in, JWT exp). */
        @WithDefault("PT30S")
        Duration tokenRefreshMargin();

        @WithDefault("PT5S")
        Duration connectTimeout();

        @WithDefault("PT15S")
        Duration readTimeout();

        /**
         * Self-managed Airbyte's Configuration API base, e.g. {@code http://host:8000/api/v1}:
         * after a job ends the monitor reads what it committed per stream ({@code POST
         * {base}/jobs/get}) into the ending's {@code streams[]}. Empty (the default, and Airbyte
         * Cloud, which has no such API): endings carry no {@code streams[]}.
         */
        Optional<String> configApiUrl();

        /**
         * The bound of one per-stream stats read; a read that fails or takes longer leaves {@code
         * streams[]} out of that ending.
         */
        @WithDefault("PT2S")
        Duration streamStatsTimeout();

        /**
         * After a failed per-stream stats read, the endings of this long go without {@code
         * streams[]} unasked: an Airbyte without that API, or down, costs one bounded wait.
         */
        @WithDefault("PT20S")
        Duration streamStatsPause();

        /** How long {@code GET /connections/{id}} answers are reused. */
        @WithDefault("PT30S")
        Duration connectionCacheTtl();

        Retry retry();

        CircuitBreaker circuitBreaker();

        RateLimit rateLimit();
    }

    enum AuthMode {
        CLIENT_CREDENTIALS,
        BASIC,
        NONE
    }

    /** Retries of idempotent calls on 5xx, 429 and timeouts: exponential backoff with jitter. */
    interface Retry {
        @WithDefault("4")
        int maxRetries();

        @WithDefault("PT0.5S")
        Duration initialDelay();

        @WithDefault("PT10S")
        Duration maxDelay();

        @WithDefault("PT0.2S")
        Duration jitter();

        /** All attempts of one call together never take longer than this. */
        @WithDefault("PT30S")
        Duration maxDuration();
    }

    interface CircuitBreaker {
        @WithDefault("20")
        int requestVolumeThreshold();

        @WithDefault("0.5")
        double failureRatio();

        /** How long the breaker stays open before letting a trial call through. */
        @WithDefault("PT10S")
        Duration delay();
    }

    interface RateLimit {
        /**
         * At most this many Airbyte calls per window (all endpoints together), spaced evenly; a
         * call waits for its turn (up to a window) rather than being refused.
         */
        @WithDefault("100")
        int limit();

        @WithDefault("PT1S")
        Duration window();
    }

    interface Poll {
        /** How often the coordinator wakes up (dispatch, due checks, outbox). */
        @WithDefault("1s")
        String tick();

        /** Check interval of a young job; grows with the job's age up to {@link #maxInterval()}. */
        @WithDefault("PT2S")
        Duration minInterval();

        @WithDefault("PT30S")
        Duration maxInterval();

        /** Interval = job age divided by this, clamped to [min, max], then jittered ±20 %. */
        @WithDefault("10")
        int ageDivisor();

        /** How often {@code GET /jobs?updatedAtStart=…} looks for every job that ended. */
        @WithDefault("PT2S")
        Duration listInterval();

        /**
         * Airbyte's webhook hints have the list looked at again at once, but two looks are at least
         * this far apart: a burst of hints is served by one look.
         */
        @WithDefault("PT0.2S")
        Duration listMinSpacing();

        /**
         * Individual {@code GET /jobs/{id}} checks per minute, whatever the number of jobs in
         * flight: the list finds the jobs that ended, these checks are the fallback (progress logs,
         * unknown statuses). Checks of jobs past their deadline (to cancel them) and of hinted jobs
         * the list did not show ended are not counted.
         */
        @WithDefault("60")
        int checkBudget();

        /** Connections served per dispatch transaction (a burst is started batch by batch). */
        @WithDefault("50")
        int dispatchBatch();

        /**
         * {@code POST /jobs} calls in flight at once, over all dispatch batches: a batch posts its
         * starts together, so a slow start delays the other starts of its batch by at most the read
         * timeout, never their jobs in Airbyte.
         */
        @WithDefault("8")
        int startConcurrency();

        /**
         * Worker threads of each Airbyte lane (dispatches and checks each have this many), so at
         * most twice this many Airbyte calls run at once.
         */
        @WithDefault("4")
        int concurrency();

        /**
         * A dispatch, check or publish running longer than this is logged and counted ({@code
         * tributary_monitor_tasks_slow_total}); it delays only its own connection or job.
         */
        @WithDefault("PT10S")
        Duration slowTask();

        /**
         * A failure seen by polling waits this long after the job's end for Airbyte's webhook,
         * which alone carries the failure message (only when a notification secret is set).
         */
        @WithDefault("PT3S")
        Duration hintGrace();

        /** A running job's progress is logged at least this often. */
        @WithDefault("PT5M")
        Duration progressLogInterval();
    }
}
