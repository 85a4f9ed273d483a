package io.tributary.events;

import java.util.List;

/** Kafka topic names of the Tributary contract (docs/ARCHITECTURE.md, "Topics and event types"). */
public final class Topics {

    /** Key: Airbyte connectionId. Types: {@code io.tributary.sync.requested}. */
    public static final String SYNC_REQUESTS = "tributary.sync.requests";

    /** Key: Airbyte connectionId. Types: sync started, succeeded, failed, cancelled. */
    public static final String SYNC_EVENTS = "tributary.sync.events";

    /** Key: transform name. Types: transform started, succeeded, failed. */
    public static final String TRANSFORM_EVENTS = "tributary.transform.events";

    /** Key: subscription id. Types: notification delivered, failed. */
    public static final String NOTIFICATION_EVENTS = "tributary.notification.events";

    /**
     * Key: expectation id. Types: expectation missed, recovered. A topic of its own: these are
     * judgements about the pipeline, not steps of a run; they come from the notifier-service, which
     * also reads them back to route them through subscriptions, and consumers that want only
     * pipeline steps (or only promises) read one topic.
     */
    public static final String EXPECTATION_EVENTS = "tributary.expectation.events";

    /** Every event topic, in pipeline order (dead-letter topics are per service, see below). */
    public static final List<String> ALL =
            List.of(
                    SYNC_REQUESTS,
                    SYNC_EVENTS,
                    TRANSFORM_EVENTS,
                    NOTIFICATION_EVENTS,
                    EXPECTATION_EVENTS);

    private Topics() {}

    /**
     * The consuming service's dead-letter topic, e.g. {@code deadLetter("sync-monitor-service")} →
     * {@code tributary.sync-monitor-service.dlq}.
     */
    public static String deadLetter(String service) {
        if (service == null || service.isBlank() || !service.matches("[a-z0-9][a-z0-9.-]*")) {
            throw new IllegalArgumentException(
                    "service name must be lowercase [a-z0-9.-]: " + service);
        }
        return "tributary." + service + ".dlq";
    }
}
