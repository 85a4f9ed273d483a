package io.tributary.support.messaging;

import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.eclipse.microprofile.config.Config;

/**
 * Every Kafka consumer of a service: cooperative rebalancing (a member joining or leaving does not
 * take partitions away from the others), and, when {@code tributary.kafka.instance-id} is set,
 * static membership so a restarted instance resumes at once. A channel's own settings win.
 */
@ApplicationScoped
public class StaticMembership implements ClientCustomizer<Map<String, Object>> {
    @Inject KafkaMembershipConfig config;

    @Override
    public Map<String, Object> customize(
            String channel, Config channelConfig, Map<String, Object> client) {
        if (!client.containsKey(ConsumerConfig.GROUP_ID_CONFIG)) {
            return client; // a producer or an admin client
        }
        client.putIfAbsent(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                CooperativeStickyAssignor.class.getName());
        config.instanceId()
                .filter(id -> !id.isBlank())
                .ifPresent(
                        id -> {
                            client.putIfAbsent(
                                    ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id + "." + channel);
                            client.putIfAbsent(
                                    ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                                    (int) config.staticSessionTimeout().toMillis());
                        });
        return client;
    }
}
