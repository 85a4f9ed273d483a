package io.tributary.notifier.subscription;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A subscription as written by a client or the YAML file. {@code enabled} and {@code
 * notifyOnRecovery} default to true.
 *
 * @param filter a CEL condition over the event, or null
 * @param filters the deprecated filters, translated to {@code filter} when saved
 */
public record SubscriptionRequest(
        String name,
        List<String> eventTypes,
        String filter,
        LegacyFilters filters,
        ChannelType channel,
        ObjectNode settings,
        Boolean enabled,
        Boolean notifyOnRecovery) {

    @Override
    public String toString() {
        return "SubscriptionRequest[" + name + "]"; // settings hold secrets
    }
}
