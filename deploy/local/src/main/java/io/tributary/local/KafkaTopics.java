package io.tributary.local;

import io.tributary.events.Topics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the contract's topics explicitly rather than trusting auto-creation. */
public final class KafkaTopics {
    private KafkaTopics() {}

    /**
     * The services that publish, each with its dead-letter topic {@code tributary.<service>.dlq}.
     * The console-service only reads and has none: {@link LocalStack#SERVICES} lists every service.
     */
    public static final List<String> SERVICES =
            List.of(
                    "trigger-service",
                    "sync-monitor-service",
                    "transform-service",
                    "notifier-service");

    public static List<String> contractTopics() {
        List<String> topics =
                new java.util.ArrayList<>(
                        List.of(
                                Topics.SYNC_REQUESTS,
                                Topics.SYNC_EVENTS,
                                Topics.TRANSFORM_EVENTS,
                                Topics.NOTIFICATION_EVENTS,
                                Topics.EXPECTATION_EVENTS));
        SERVICES.forEach(s -> topics.add(Topics.deadLetter(s)));
        return topics;
    }

    public static void ensure(String bootstrapServers, List<String> topics, int partitions) {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                30_000))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing =
                    topics.stream()
                            .filter(t -> !existing.contains(t))
                            .map(t -> new NewTopic(t, partitions, (short) 1))
                            .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics " + topics, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
