package io.tributary.notifier.subscription;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tributary.events.EventJson;
import io.tributary.notifier.security.SecretSettings;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A subscription as the API shows it: secrets masked. Settings are a plain map (Quarkus REST's
 * generated serializers would write a Jackson tree as a bean).
 */
public record SubscriptionView(
        String id,
        String name,
        List<String> eventTypes,
        String filter,
        ChannelType channel,
        Map<String, Object> settings,
        boolean enabled,
        boolean notifyOnRecovery,
        String disabledReason,
        String origin,
        Instant createdAt,
        Instant updatedAt) {

    public static SubscriptionView of(Subscription s, List<String> secrets) {
        return new SubscriptionView(
                s.id(),
                s.name(),
                s.eventTypes(),
                s.filter(),
                s.channel(),
                EventJson.mapper()
                        .convertValue(
                                SecretSettings.mask(s.settings(), secrets),
                                new TypeReference<Map<String, Object>>() {}),
                s.enabled(),
                s.notifyOnRecovery(),
                s.disabledReason(),
                s.origin(),
                s.createdAt(),
                s.updatedAt());
    }
}
