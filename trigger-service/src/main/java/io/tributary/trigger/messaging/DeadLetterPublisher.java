package io.tributary.trigger.messaging;

import io.tributary.events.Topics;
import io.tributary.trigger.kafka.KafkaClients;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Puts an external record that is not valid for its Kafka trigger on {@code
 * tributary.trigger-service.dlq}: original key, value and headers, plus the standard dead-letter
 * headers ({@code dead-letter-reason}, {@code dead-letter-topic}, {@code dead-letter-partition},
 * {@code dead-letter-offset}) and {@code dead-letter-trigger}. Returns once Kafka acknowledged it,
 * so the caller commits the record's offset only then.
 */
@ApplicationScoped
public class DeadLetterPublisher {
    public static final String TOPIC = Topics.deadLetter("trigger-service");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject KafkaClients clients;

    private volatile KafkaProducer<byte[], byte[]> producer;

    public void send(String triggerId, ConsumerRecord<byte[], byte[]> record, String reason) {
        Headers headers = new RecordHeaders();
        for (Header h : record.headers()) {
            headers.add(h);
        }
        put(headers, "dead-letter-reason", reason);
        put(headers, "dead-letter-cause", reason);
        put(headers, "dead-letter-topic", record.topic());
        put(headers, "dead-letter-partition", Integer.toString(record.partition()));
        put(headers, "dead-letter-offset", Long.toString(record.offset()));
        put(headers, "dead-letter-trigger", triggerId);
        try {
            producer()
                    .send(new ProducerRecord<>(TOPIC, null, record.key(), record.value(), headers))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write to " + TOPIC + ": " + e, e);
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        KafkaProducer<byte[], byte[]> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    Map<String, Object> props = clients.producer();
                    props.put(ProducerConfig.ACKS_CONFIG, "all");
                    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    props.put(ProducerConfig.CLIENT_ID_CONFIG, "trigger-service-kafka-dlq");
                    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8000);
                    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000);
                    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
                    producer =
                            new KafkaProducer<>(
                                    props, new ByteArraySerializer(), new ByteArraySerializer());
                }
                p = producer;
            }
        }
        return p;
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @PreDestroy
    void close() {
        KafkaProducer<byte[], byte[]> p = producer;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }
}
