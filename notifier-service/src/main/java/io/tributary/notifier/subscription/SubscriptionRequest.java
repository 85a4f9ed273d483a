package io.tributary.notifier.subscription;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A subscription as written by a client or the YAML file. {@code enabled} and {@code
 * notifyOnRecovery} default to true.
 */
public record SubscriptionRequest(
        String name,
        List<String> eventTypes,
        Filters filters,
        ChannelType channel,
        ObjectNode settings,
        Boolean enabled,
        Boolean notifyOnRecovery) {

    @Override
    public String toString() {
        return "SubscriptionRequest[" + name + "]"; // settings hold secrets
    }
}
