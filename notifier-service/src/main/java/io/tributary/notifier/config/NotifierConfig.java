package io.tributary.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Typed settings of the notifier-service; every key can be overridden by an env var. */
@ConfigMapping(prefix = "tributary.notifier")
public interface NotifierConfig {

    /** Events about one subject within this window become one message (Alertmanager group_wait). */
    @WithDefault("PT30S")
    Duration groupWindow();

    /** An unchanged state is repeated at most this often (Alertmanager repeat_interval). */
    @WithDefault("PT4H")
    Duration repeatInterval();

    /**
     * Hosts that may be reached over plain http and on non-public addresses (local runs, tests);
     * everything else needs https and public addresses only. Exact host names or IP literals, each
     * optionally with a port ({@code 127.0.0.1:9090}, {@code [::1]:9090}) to allow that port only.
     */
    @WithDefault("none")
    List<String> httpAllowList();

    /** A YAML file of subscriptions upserted (by name) at start; absent means none. */
    Optional<String> subscriptionsFile();

    Delivery delivery();

    Links links();

    Email email();

    Expectations expectations();

    /** How deliveries are sent, retried and given up. */
    interface Delivery {
        /** The scheduled sender runs in this instance (false: another replica or a test sends). */
        @WithDefault("true")
        boolean senderEnabled();

        /** How often the sender looks for due deliveries. */
        @WithDefault("1s")
        String pollInterval();

        /** Deliveries sent at the same time by one sender. */
        @WithDefault("4")
        int concurrency();

        /** Due deliveries claimed per poll. */
        @WithDefault("20")
        int batchSize();

        /**
         * A claimed delivery that was neither delivered nor failed within this time (the sender
         * died) becomes due again.
         */
        @WithDefault("PT2M")
        Duration lease();

        /** After this many attempts a delivery fails for good. */
        @WithDefault("8")
        int maxAttempts();

        /** A delivery still not sent this long after it was created fails for good. */
        @WithDefault("PT24H")
        Duration maxAge();

        /** Backoff before the second attempt; doubles per attempt up to {@link #maxBackoff()}. */
        @WithDefault("PT5S")
        Duration initialBackoff();

        @WithDefault("PT1H")
        Duration maxBackoff();

        /** A Retry-After longer than this is capped (a broken receiver must not park us). */
        @WithDefault("PT1H")
        Duration maxRetryAfter();

        @WithDefault("PT5S")
        Duration connectTimeout();

        /** Whole request: connect, send, wait for the status line. */
        @WithDefault("PT15S")
        Duration requestTimeout();

        /** Sends per second to one destination (one URL, one SMTP server); bursts allowed. */
        @WithDefault("1.0")
        double ratePerSecond();

        @WithDefault("5")
        int rateBurst();
    }

    /** Links put into messages. */
    interface Links {
        /** Airbyte UI base, e.g. {@code https://airbyte.example.com/workspaces/<id>}. */
        Optional<String> airbyteBaseUrl();

        /** Path of a connection under the base; {connectionId} is replaced. */
        @WithDefault("/connections/{connectionId}/status")
        String airbyteConnectionPath();

        /** Path of a job under the base; {connectionId} and {jobId} are replaced. */
        @WithDefault("/connections/{connectionId}/job-history#{jobId}::0")
        String airbyteJobPath();
    }

    /** Email defaults. */
    interface Email {
        /** Sender address when a subscription does not name one. */
        @WithDefault("tributary@localhost")
        String from();

        @WithDefault("[tributary]")
        String subjectPrefix();
    }

    /** Expectations (promises about freshness, deadlines and volume). */
    interface Expectations {
        /**
         * The shortest freshness duration and the shortest gap between two deadlines: a promise
         * checked more often than this would alert on ordinary scheduling jitter.
         */
        @WithDefault("PT1M")
        Duration minDuration();

        /** How often due deadlines are looked for: the most a miss is raised late. */
        @WithDefault("5s")
        String checkInterval();
    }
}
