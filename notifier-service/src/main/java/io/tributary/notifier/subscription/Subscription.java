package io.tributary.notifier.subscription;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Who hears what through which channel. {@code settings} hold the channel's secrets in clear: never
 * log a subscription, and answer the API with {@link SubscriptionView} (masked).
 *
 * @param eventTypes exact {@code ce_type}s or prefixes such as {@code io.tributary.sync.*}
 * @param filter a CEL condition over the event ({@code Conditions.EVENTS}), or null for every event
 *     of those types
 * @param origin {@code api} or {@code file} (declared in the YAML file loaded at start)
 */
public record Subscription(
        String id,
        String name,
        List<String> eventTypes,
        String filter,
        ChannelType channel,
        ObjectNode settings,
        boolean enabled,
        boolean notifyOnRecovery,
        String disabledReason,
        String origin,
        Instant createdAt,
        Instant updatedAt) {

    public Subscription {
        eventTypes = eventTypes == null ? List.of() : List.copyOf(eventTypes);
    }

    /** True when the type is listed exactly or falls under a listed prefix ({@code a.b.*}). */
    public boolean matchesType(String type) {
        for (String pattern : eventTypes) {
            if (pattern.equals("*") || pattern.equals(type)) {
                return true;
            }
            if (pattern.endsWith(".*")
                    && type.startsWith(pattern.substring(0, pattern.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        // Never print the settings: they hold secrets.
        return "Subscription[" + id + " '" + name + "' " + channel.wire() + "]";
    }
}
