package io.tributary.notifier.subscription;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.events.EventJson;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/**
 * A row of {@code subscription}. Event types and settings are JSON text; the settings hold the
 * channel's secrets, so the API shows {@link SubscriptionView}s and nothing logs a row.
 */
@Entity
@Table(name = "subscription")
public class SubscriptionEntity {
    private static final ObjectMapper JSON = EventJson.mapper();

    @Id public String id;

    @Column(nullable = false)
    public String name;

    /** JSON array: exact types or prefixes ending in {@code .*}. */
    @Column(name = "event_types", nullable = false)
    public String eventTypes;

    /** CEL over the event; null for every event of those types. */
    public String filter;

    @Column(nullable = false)
    public String channel;

    /** JSON object, per channel. */
    @Column(nullable = false)
    public String settings;

    public boolean enabled;

    @Column(name = "notify_on_recovery")
    public boolean notifyOnRecovery;

    @Column(name = "disabled_reason")
    public String disabledReason;

    /** {@code api} or {@code file}. */
    @Column(nullable = false)
    public String origin;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    static SubscriptionEntity of(Subscription s) {
        SubscriptionEntity e = new SubscriptionEntity();
        e.id = s.id();
        e.createdAt = s.createdAt();
        e.copy(s);
        return e;
    }

    /** Takes everything but the id and creation time. */
    void copy(Subscription s) {
        try {
            name = s.name();
            eventTypes = JSON.writeValueAsString(s.eventTypes());
            filter = s.filter();
            channel = s.channel().wire();
            settings = JSON.writeValueAsString(s.settings());
            enabled = s.enabled();
            notifyOnRecovery = s.notifyOnRecovery();
            disabledReason = s.disabledReason();
            origin = s.origin();
            updatedAt = s.updatedAt();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store subscription " + s.id(), e);
        }
    }

    Subscription toSubscription() {
        try {
            return new Subscription(
                    id,
                    name,
                    JSON.readValue(eventTypes, new TypeReference<List<String>>() {}),
                    filter,
                    ChannelType.of(channel),
                    (ObjectNode) JSON.readTree(settings),
                    enabled,
                    notifyOnRecovery,
                    disabledReason,
                    origin,
                    createdAt,
                    updatedAt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read subscription " + id, e);
        }
    }
}
