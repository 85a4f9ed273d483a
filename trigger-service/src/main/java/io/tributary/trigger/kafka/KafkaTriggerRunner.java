package io.tributary.trigger.kafka;

import io.tributary.trigger.definition.KafkaTriggerDefinition;
import io.tributary.trigger.kafka.KafkaRecords.Evaluation;
import io.tributary.trigger.kafka.KafkaRecords.Verdict;
import io.tributary.trigger.messaging.DeadLetterPublisher;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * One Kafka trigger's consumer on its own thread: poll, decide each record (dead-letter, skip, or
 * requests into the outbox), then commit the offsets of what was decided. A record whose decision
 * failed (database or Kafka down) is read again after a pause: offsets move only past records whose
 * outcome is durable.
 */
final class KafkaTriggerRunner implements Runnable {
    private static final Logger LOG = Logger.getLogger(KafkaTriggerRunner.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long BACKOFF_MS = 1000;

    /** Counts each record's outcome (matched, filtered, dead_lettered). */
    interface Outcomes {
        void recorded(String triggerId, String outcome);
    }

    final KafkaTriggerDefinition def;
    private final Map<String, Object> consumerProps;
    private final KafkaThrottle throttle;
    private final DeadLetterPublisher deadLetters;
    private final Outcomes outcomes;
    private final KafkaThrottle.Cache cache = new KafkaThrottle.Cache();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    KafkaTriggerRunner(
            KafkaTriggerDefinition def,
            Map<String, Object> clientProps,
            KafkaThrottle throttle,
            DeadLetterPublisher deadLetters,
            Outcomes outcomes) {
        this.def = def;
        this.throttle = throttle;
        this.deadLetters = deadLetters;
        this.outcomes = outcomes;
        Map<String, Object> props = new HashMap<>(clientProps);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, def.groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "trigger-service-" + def.id());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, def.startFrom().wire());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        this.consumerProps = props;
        this.thread = new Thread(this, "kafka-trigger-" + def.id());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
        LOG.infof(
                "Kafka trigger %s: consuming %s as group %s", def.id(), def.topic(), def.groupId());
    }

    /** Stops consuming and waits (up to 10 s) for the thread to leave its group. */
    void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.infof("Kafka trigger %s: stopped consuming %s", def.id(), def.topic());
    }

    @Override
    public void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c =
                    new KafkaConsumer<>(
                            consumerProps,
                            new ByteArrayDeserializer(),
                            new ByteArrayDeserializer())) {
                consumer = c;
                if (!running) {
                    return;
                }
                c.subscribe(List.of(def.topic()));
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
                    if (!records.isEmpty()) {
                        handle(c, records);
                    }
                }
            } catch (WakeupException e) {
                if (running) {
                    LOG.warnf("Kafka trigger %s: unexpected wakeup", def.id());
                }
            } catch (RuntimeException e) {
                LOG.warnf("Kafka trigger %s: consumer failed, restarting: %s", def.id(), e);
                pause();
            } finally {
                consumer = null;
            }
        }
    }

    private void handle(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        try {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                decide(record);
                done.put(
                        new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1));
            }
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Kafka trigger %s: cannot decide a record, reading it again shortly: %s",
                    def.id(), e.toString());
            // Rewind every partition to its first record without a durable outcome.
            for (TopicPartition tp : records.partitions()) {
                OffsetAndMetadata d = done.get(tp);
                c.seek(tp, d != null ? d.offset() : records.records(tp).get(0).offset());
            }
            commit(c, done);
            pause();
            return;
        }
        commit(c, done);
    }

    /** Dead-letters, skips or requests (into the outbox); durable when it returns. */
    private void decide(ConsumerRecord<byte[], byte[]> record) {
        Evaluation evaluation = KafkaRecords.evaluate(def, record);
        if (evaluation.verdict() == Verdict.INVALID) {
            deadLetters.send(def.id(), record, evaluation.reason());
            LOG.warnf(
                    "Kafka trigger %s: %s/%d/%d dead-lettered: %s",
                    def.id(),
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    evaluation.reason());
            outcomes.recorded(def.id(), "dead_lettered");
            return;
        }
        if (evaluation.verdict() == Verdict.NO_MATCH) {
            outcomes.recorded(def.id(), "filtered");
            return;
        }
        outcomes.recorded(def.id(), "matched");
        throttle.accept(def, record.topic(), record.partition(), record.offset(), cache);
    }

    private void commit(
            KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            c.commitSync(offsets);
        } catch (WakeupException e) {
            // Stopping: commit once more so the decided records are not read again, then leave.
            c.commitSync(offsets);
            throw e;
        } catch (RuntimeException e) {
            // A rebalance took the partition: the next owner reads these records again, and
            // their derived request ids keep them from becoming new syncs.
            LOG.warnf("Kafka trigger %s: offset commit failed: %s", def.id(), e.toString());
        }
    }

    private void pause() {
        try {
            Thread.sleep(BACKOFF_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
