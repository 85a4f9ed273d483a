package io.tributary.monitor.bench;

import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncStarted;
import io.tributary.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code tributary.sync.events} on a thread of its own, as a consumer would, and keeps for
 * each {@code sync.started} and ending when it was written (the record's timestamp, set by the
 * monitor's producer) and when it was received here.
 */
final class EventLog implements AutoCloseable {

    /** One event: its job, requests served, Kafka timestamp and local receive time (ms). */
    record Seen(long jobId, int requests, long kafkaMillis, long receivedMillis, Long finishedAt) {}

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Seen> started = new ArrayList<>();
    private final List<Seen> ended = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    EventLog(String bootstrapServers) {
        consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "burst-bench-" + UUID.randomUUID(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false),
                        new StringDeserializer(),
                        new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.SYNC_EVENTS));
        thread = new Thread(this::poll, "burst-events");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        while (running.get()) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                add(r, System.currentTimeMillis());
            }
        }
        consumer.close();
    }

    private void add(ConsumerRecord<String, byte[]> r, long now) {
        ReceivedEvent e = CloudEventKafka.read(r).toOptional().orElse(null);
        if (e == null || e.eventType().isEmpty()) {
            return;
        }
        if (e.is(EventType.SYNC_STARTED)) {
            SyncStarted s = e.data(SyncStarted.class);
            synchronized (this) {
                started.add(new Seen(s.jobId(), s.requestIds().size(), r.timestamp(), now, null));
            }
        } else if (e.eventType().get().isTerminal()) {
            SyncFinished f = e.data(SyncFinished.class);
            long jobId = f.jobId() == null ? -1 : f.jobId();
            Long finished = f.finishedAt() == null ? null : f.finishedAt().toEpochMilli();
            synchronized (this) {
                ended.add(new Seen(jobId, f.requestIds().size(), r.timestamp(), now, finished));
            }
        }
    }

    /** Requests announced by {@code sync.started} so far. */
    synchronized int startedRequests() {
        return started.stream().mapToInt(Seen::requests).sum();
    }

    synchronized int endedRequests() {
        return ended.stream().mapToInt(Seen::requests).sum();
    }

    synchronized List<Seen> started() {
        return List.copyOf(started);
    }

    synchronized List<Seen> ended() {
        return List.copyOf(ended);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5000);
    }
}
