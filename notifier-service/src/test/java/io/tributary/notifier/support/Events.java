package io.tributary.notifier.support;

import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventIds;
import io.tributary.events.FailureReason;
import io.tributary.events.JobType;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncStatus;
import io.tributary.events.TransformEvent;
import io.tributary.events.TransformStatus;
import io.tributary.events.TransformTrigger;
import io.tributary.events.TransformTriggerKind;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Puts contract events on Kafka the way the other services do. */
public final class Events implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;

    public Events(String bootstrap) {
        producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        new StringSerializer(),
                        new ByteArraySerializer());
    }

    public static SyncFinished syncFailed(String connection, long jobId, String message) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new SyncFinished(
                connection,
                jobId,
                JobType.SYNC,
                List.of(EventIds.random()),
                false,
                now.minusSeconds(95),
                EventIds.random(),
                SyncStatus.FAILED,
                now,
                Duration.ofSeconds(95),
                0L,
                0L,
                FailureReason.AIRBYTE_FAILED,
                message);
    }

    public static SyncFinished syncSucceeded(String connection, long jobId) {
        return syncSucceeded(
                connection, jobId, 1234L, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /** A successful sync of {@code rows} rows that ended at {@code now}. */
    public static SyncFinished syncSucceeded(
            String connection, long jobId, long rows, Instant now) {
        return new SyncFinished(
                connection,
                jobId,
                JobType.SYNC,
                List.of(EventIds.random()),
                false,
                now.minusSeconds(61),
                EventIds.random(),
                SyncStatus.SUCCEEDED,
                now,
                Duration.ofSeconds(61),
                rows,
                5_678_901L,
                null,
                null);
    }

    public static TransformEvent transformFailed(String name) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new TransformEvent(
                name,
                EventIds.random(),
                TransformStatus.FAILED,
                "build",
                "tag:daily",
                "prod",
                new TransformTrigger(
                        TransformTriggerKind.SYNC, List.of(42L), List.of(EventIds.random())),
                now.minusSeconds(30),
                now,
                Duration.ofSeconds(30),
                1,
                new TransformEvent.Summary(10, 1, 2, 3, 0, 0),
                List.of(
                        new TransformEvent.NodeFailure(
                                "model.shop.orders",
                                "error",
                                "relation \"raw.orders\" does not exist")),
                null,
                null);
    }

    /** Sends the event and returns its ce_id. */
    public String send(SyncFinished data) {
        String id = EventIds.random();
        send(CloudEventKafka.record(data.ceType(), id, data.connectionId(), data, "/tests"));
        return id;
    }

    public String send(TransformEvent data) {
        String id = EventIds.random();
        send(CloudEventKafka.record(data.ceType(), id, data.transformName(), data, "/tests"));
        return id;
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
