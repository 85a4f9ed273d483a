package io.tributary.trigger.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;

/**
 * Settings of the plain Kafka clients this service manages itself (Kafka trigger consumers, their
 * dead-letter producer): every {@code kafka.*} property that the client knows ({@code
 * kafka.bootstrap.servers}, {@code kafka.security.protocol}, {@code kafka.sasl.*}, {@code
 * kafka.ssl.*} ...), the same ones the SmallRye channels use.
 */
@ApplicationScoped
public class KafkaClients {
    @Inject Config config;

    public Map<String, Object> consumer() {
        return from(ConsumerConfig.configNames());
    }

    public Map<String, Object> producer() {
        return from(ProducerConfig.configNames());
    }

    private Map<String, Object> from(Set<String> known) {
        Map<String, Object> props = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("kafka.")) {
                String key = name.substring("kafka.".length());
                if (known.contains(key)) {
                    config.getOptionalValue(name, String.class).ifPresent(v -> props.put(key, v));
                }
            }
        }
        if (!props.containsKey("bootstrap.servers")) {
            props.put("bootstrap.servers", "localhost:9092");
        }
        return props;
    }
}
