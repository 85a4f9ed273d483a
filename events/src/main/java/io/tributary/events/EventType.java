package io.tributary.events;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every CloudEvents {@code ce_type} of the contract, with the topic it travels on, the Java record
 * of its {@code data}, and its JSON Schema.
 */
public enum EventType {
    SYNC_REQUESTED("io.tributary.sync.requested", Topics.SYNC_REQUESTS, SyncRequested.class, false),
    SYNC_STARTED("io.tributary.sync.started", Topics.SYNC_EVENTS, SyncStarted.class, false),
    SYNC_SUCCEEDED("io.tributary.sync.succeeded", Topics.SYNC_EVENTS, SyncFinished.class, true),
    SYNC_FAILED("io.tributary.sync.failed", Topics.SYNC_EVENTS, SyncFinished.class, true),
    SYNC_CANCELLED("io.tributary.sync.cancelled", Topics.SYNC_EVENTS, SyncFinished.class, true),
    TRANSFORM_STARTED(
            "io.tributary.transform.started", Topics.TRANSFORM_EVENTS, TransformEvent.class, false),
    TRANSFORM_SUCCEEDED(
            "io.tributary.transform.succeeded",
            Topics.TRANSFORM_EVENTS,
            TransformEvent.class,
            true),
    TRANSFORM_FAILED(
            "io.tributary.transform.failed", Topics.TRANSFORM_EVENTS, TransformEvent.class, true),
    TRANSFORM_SKIPPED(
            "io.tributary.transform.skipped", Topics.TRANSFORM_EVENTS, TransformEvent.class, true),
    NOTIFICATION_DELIVERED(
            "io.tributary.notification.delivered",
            Topics.NOTIFICATION_EVENTS,
            NotificationEvent.class,
            false),
    NOTIFICATION_FAILED(
            "io.tributary.notification.failed",
            Topics.NOTIFICATION_EVENTS,
            NotificationEvent.class,
            false),
    EXPECTATION_MISSED(
            "io.tributary.expectation.missed",
            Topics.EXPECTATION_EVENTS,
            ExpectationEvent.class,
            false),
    EXPECTATION_RECOVERED(
            "io.tributary.expectation.recovered",
            Topics.EXPECTATION_EVENTS,
            ExpectationEvent.class,
            false);

    /** Base of every schema {@code $id}; the classpath mirror is {@link #SCHEMA_PACKAGE}. */
    public static final String SCHEMA_BASE_URI = "https://tributary.io/schemas/events/";

    /** Classpath folder holding the JSON Schemas (no leading slash, for ClassLoader lookups). */
    public static final String SCHEMA_PACKAGE = "io/tributary/events/schemas/";

    private static final Map<String, EventType> BY_TYPE =
            Arrays.stream(values()).collect(Collectors.toMap(EventType::type, Function.identity()));

    private final String type;
    private final String topic;
    private final Class<?> dataClass;
    private final boolean terminal;

    EventType(String type, String topic, Class<?> dataClass, boolean terminal) {
        this.type = type;
        this.topic = topic;
        this.dataClass = dataClass;
        this.terminal = terminal;
    }

    /** The {@code ce_type} string, e.g. {@code io.tributary.sync.requested}. */
    public String type() {
        return type;
    }

    /** The topic this type is published on. */
    public String topic() {
        return topic;
    }

    /** The record class of this event's {@code data}. */
    public Class<?> dataClass() {
        return dataClass;
    }

    /** Short name, also the schema's file name without extension, e.g. {@code sync-requested}. */
    public String schemaName() {
        return type.substring("io.tributary.".length()).replace('.', '-');
    }

    /**
     * Classpath resource of the JSON Schema, e.g. {@code
     * io/tributary/events/schemas/sync-requested.json}.
     */
    public String schemaResource() {
        return SCHEMA_PACKAGE + schemaName() + ".json";
    }

    /** The {@code ce_dataschema} URI, equal to the schema's {@code $id}. */
    public URI dataSchema() {
        return URI.create(SCHEMA_BASE_URI + schemaName() + ".json");
    }

    /**
     * True for the events that end a sync job or a transform run (succeeded, failed, cancelled,
     * skipped): consumers waiting on a run stop waiting when they see one.
     */
    public boolean isTerminal() {
        return terminal;
    }

    /** The terminal sync event type for a final sync status. */
    public static EventType syncFinished(SyncStatus status) {
        return switch (status) {
            case SUCCEEDED -> SYNC_SUCCEEDED;
            case FAILED -> SYNC_FAILED;
            case CANCELLED -> SYNC_CANCELLED;
        };
    }

    /** The transform event type for a run status. */
    public static EventType transform(TransformStatus status) {
        return switch (status) {
            case STARTED -> TRANSFORM_STARTED;
            case SUCCEEDED -> TRANSFORM_SUCCEEDED;
            case FAILED -> TRANSFORM_FAILED;
            case SKIPPED -> TRANSFORM_SKIPPED;
        };
    }

    /** The notification event type for a delivery status. */
    public static EventType notification(DeliveryStatus status) {
        return switch (status) {
            case DELIVERED -> NOTIFICATION_DELIVERED;
            case FAILED -> NOTIFICATION_FAILED;
        };
    }

    /** The expectation event type for what it reports. */
    public static EventType expectation(ExpectationStatus status) {
        return switch (status) {
            case MISSED -> EXPECTATION_MISSED;
            case RECOVERED -> EXPECTATION_RECOVERED;
        };
    }

    /** Looks up a {@code ce_type}; empty for unknown (e.g. newer) types, which consumers skip. */
    public static Optional<EventType> fromType(String ceType) {
        return Optional.ofNullable(ceType == null ? null : BY_TYPE.get(ceType));
    }

    /** The types that travel on a topic. */
    public static List<EventType> onTopic(String topic) {
        return Arrays.stream(values()).filter(t -> t.topic.equals(topic)).toList();
    }
}
