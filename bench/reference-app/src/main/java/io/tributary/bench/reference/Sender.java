package io.tributary.bench.reference;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** One plain Kafka producer, durable as the services' ({@code acks=all}, idempotence on). */
@ApplicationScoped
public class Sender {
    @Inject ReferenceConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProducer<String, byte[]> producer;

    void start(@Observes StartupEvent start) {
        producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                true,
                                // A send never holds the caller longer than the answer may wait.
                                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                (int) config.ackTimeout().toMillis()),
                        new StringSerializer(),
                        new ByteArraySerializer());
    }

    void stop(@Observes ShutdownEvent stop) {
        producer.close();
    }

    /** Completes when the broker acknowledged the record, exceptionally when it cannot. */
    CompletableFuture<Void> send(String key, String ceId, byte[] value) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(config.topic(), key, value);
        record.headers().add("ce_id", ceId.getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(
                    record,
                    (metadata, error) -> {
                        if (error == null) {
                            acked.complete(null);
                        } else {
                            acked.completeExceptionally(error);
                        }
                    });
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }
}
