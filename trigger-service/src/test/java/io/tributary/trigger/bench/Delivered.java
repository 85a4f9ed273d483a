package io.tributary.trigger.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a target put on its topic against what it answered: every delivery answered 202 must be
 * there exactly once. Reads the topic from the beginning, as a third party would.
 */
record Delivered(int accepted, int onTopic, int missing, int duplicated, int unanswered) {

    boolean ok() {
        return missing == 0 && duplicated == 0;
    }

    static Delivered check(String bootstrapServers, Target target, Set<String> accepted) {
        String prefix = target.name + "-";
        Map<String, Integer> seen = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "bench-" + UUID.randomUUID(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false),
                        new StringDeserializer(),
                        new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(target.topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long quietUntil = Long.MAX_VALUE;
            // Until every 202 was seen (or 60 s), then 2 s more: a duplicate may come last.
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String id = target.deliveryId.apply(r);
                    if (id != null && id.startsWith(prefix)) {
                        seen.merge(id, 1, Integer::sum);
                    }
                }
                if (quietUntil == Long.MAX_VALUE && seen.keySet().containsAll(accepted)) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        int missing = (int) accepted.stream().filter(id -> !seen.containsKey(id)).count();
        int duplicated = (int) seen.values().stream().filter(n -> n > 1).count();
        int unanswered = (int) seen.keySet().stream().filter(id -> !accepted.contains(id)).count();
        int total = seen.values().stream().mapToInt(Integer::intValue).sum();
        return new Delivered(accepted.size(), total, missing, duplicated, unanswered);
    }

    @Override
    public String toString() {
        return String.format(
                "%d answered 202, %d records: %d missing, %d duplicated, %d without a 202 → %s",
                accepted,
                onTopic,
                missing,
                duplicated,
                unanswered,
                ok() ? "EXACTLY ONCE" : "DIFFERENT");
    }
}
