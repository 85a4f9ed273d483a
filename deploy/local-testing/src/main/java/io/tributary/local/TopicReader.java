package io.tributary.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from the beginning with a plain {@link KafkaConsumer}, the way a third party would,
 * for tests that check what a service really put on the wire.
 */
public final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    public TopicReader(String bootstrapServers, String topic) {
        consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "topic-reader-" + UUID.randomUUID(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false),
                        new StringDeserializer(),
                        new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /**
     * Polls until {@code count} records matching {@code filter} were seen or the timeout passes.
     */
    public List<ConsumerRecord<String, byte[]>> await(
            Predicate<ConsumerRecord<String, byte[]>> filter, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (matching(filter).size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        return matching(filter);
    }

    /** Everything that arrives within {@code window}: to prove that nothing more was published. */
    public List<ConsumerRecord<String, byte[]>> drain(
            Predicate<ConsumerRecord<String, byte[]>> filter, Duration window) {
        long deadline = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        return matching(filter);
    }

    private List<ConsumerRecord<String, byte[]>> matching(
            Predicate<ConsumerRecord<String, byte[]>> filter) {
        return seen.stream().filter(filter).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
