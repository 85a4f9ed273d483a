package io.tributary.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.local.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling restart of one replica does not pause the other: two replicas' consumers, configured by
 * {@link StaticMembership} as two pods would be, share a topic; one stops (as on SIGTERM) and comes
 * back under the same instance id. The other keeps consuming its partitions the whole time, is
 * never revoked and never handed the absent replica's partitions (no rebalance at all), and the
 * returning replica gets its own partitions back with nothing skipped.
 */
class RollingRestartTest {
    private static final String TOPIC = "rolling-restart";
    private static final String GROUP = "rolling-restart-test";

    @TempDir static Path dir;
    static EmbeddedKafka kafka;
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start() throws Exception {
        kafka = new EmbeddedKafka(dir, 0).start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 4, (short) 1))).all().get();
        }
        producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new StringSerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void theOtherReplicaKeepsItsPartitionsAndKeepsConsuming() throws Exception {
        Replica a = new Replica("replica-a").start();
        Replica b = new Replica("replica-b").start();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> a.assigned().size() == 2 && b.assigned().size() == 2);
        Set<TopicPartition> ofA = a.assigned();
        Set<TopicPartition> ofB = b.assigned();
        b.events.clear();

        a.stop(); // SIGTERM: a static member leaves no LeaveGroup behind
        sendToEach("while a is away");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> b.received("while a is away").containsAll(ofB));
        // As long as a replica's restart takes (more than a heartbeat interval, 3 s): no
        // rebalance reaches b, and a's partitions wait for a.
        await().during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(8))
                .until(() -> b.events.isEmpty() && b.assigned().equals(ofB));

        Replica a2 = new Replica("replica-a").start();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> a2.received("while a is away").containsAll(ofA));
        sendToEach("after a is back");
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                b.received("after a is back").containsAll(ofB)
                                        && a2.received("after a is back").containsAll(ofA));

        assertThat(a2.assigned()).as("a's partitions back to a").isEqualTo(ofA);
        assertThat(b.assigned()).as("b's partitions unchanged").isEqualTo(ofB);
        assertThat(b.events).as("b was never revoked, lost or reassigned").isEmpty();
        a2.stop();
        b.stop();
    }

    private static void sendToEach(String value) throws Exception {
        for (int p = 0; p < 4; p++) {
            producer.send(new ProducerRecord<>(TOPIC, p, "k" + p, value)).get();
        }
    }

    /** One replica's consumer on its own thread, as a service instance's channel would run it. */
    private static final class Replica implements ConsumerRebalanceListener {
        final KafkaConsumer<String, String> consumer;
        final List<String> events = new CopyOnWriteArrayList<>();
        final Map<String, Set<TopicPartition>> receivedBy = new ConcurrentHashMap<>();
        final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
        final AtomicBoolean running = new AtomicBoolean(true);
        Thread thread;

        Replica(String instance) {
            Map<String, Object> client = new HashMap<>();
            client.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            client.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
            client.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            client.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            consumer =
                    new KafkaConsumer<>(
                            membership(instance).customize("work", null, client),
                            new StringDeserializer(),
                            new StringDeserializer());
        }

        /** The customizer as a pod named {@code instance} has it. */
        private static StaticMembership membership(String instance) {
            StaticMembership membership = new StaticMembership();
            membership.config =
                    new KafkaMembershipConfig() {
                        @Override
                        public Optional<String> instanceId() {
                            return Optional.of(instance);
                        }

                        @Override
                        public Duration staticSessionTimeout() {
                            return Duration.ofSeconds(15);
                        }
                    };
            return membership;
        }

        Replica start() {
            consumer.subscribe(List.of(TOPIC), this);
            thread =
                    new Thread(
                            () -> {
                                while (running.get()) {
                                    for (ConsumerRecord<String, String> r :
                                            consumer.poll(Duration.ofMillis(100))) {
                                        receivedBy
                                                .computeIfAbsent(
                                                        r.value(),
                                                        v -> ConcurrentHashMap.newKeySet())
                                                .add(new TopicPartition(r.topic(), r.partition()));
                                    }
                                    try {
                                        consumer.commitSync();
                                    } catch (RebalanceInProgressException e) {
                                        // the next poll completes the rebalance; commit then
                                    }
                                }
                                consumer.close();
                            });
            thread.start();
            return this;
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(Duration.ofSeconds(10).toMillis());
        }

        Set<TopicPartition> assigned() {
            return Set.copyOf(assigned);
        }

        Set<TopicPartition> received(String value) {
            return receivedBy.getOrDefault(value, Set.of());
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty() && !assigned.isEmpty()) {
                events.add("assigned " + partitions);
            }
            assigned.addAll(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                events.add("revoked " + new ArrayList<>(partitions));
            }
            assigned.removeAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            events.add("lost " + partitions);
            assigned.removeAll(partitions);
        }
    }
}
