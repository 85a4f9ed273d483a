package io.tributary.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import io.tributary.events.JobType;
import io.tributary.events.SyncRequested;
import io.tributary.events.Topics;
import io.tributary.events.Trigger;
import io.tributary.events.TriggerKind;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TopicReader;
import io.tributary.local.TributaryTestResource;
import io.tributary.monitor.job.SyncRequestRepository;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "sync-monitor-service"),
        scope = TestResourceScope.GLOBAL)
class SyncRequestListenerTest {

    @InjectInfrastructure Infrastructure infra;
    @Inject SyncRequestRepository requests;

    KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void producer() {
        producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                infra.kafkaBootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new ByteArraySerializer());
    }

    @AfterEach
    void close() {
        producer.close();
    }

    @Test
    void aRequestIsStoredOnceHoweverOftenItIsDelivered() throws Exception {
        SyncRequested request = request();
        ProducerRecord<String, byte[]> record =
                CloudEventKafka.record(
                        EventType.SYNC_REQUESTED,
                        request.requestId(),
                        request.connectionId(),
                        request,
                        "/tests");
        for (int i = 0; i < 3; i++) {
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
        SyncRequested marker = request(request.connectionId());
        producer.send(
                        CloudEventKafka.record(
                                EventType.SYNC_REQUESTED,
                                marker.requestId(),
                                request.connectionId(),
                                marker,
                                "/tests"))
                .get(30, TimeUnit.SECONDS);

        // The marker follows the duplicates on the same partition: once it is stored, so are they.
        await().atMost(Duration.ofSeconds(30)).until(() -> stored(marker.requestId()));
        assertThat(tx(() -> requests.count("connectionId", request.connectionId()))).isEqualTo(2);
        var stored = tx(() -> requests.findById(request.requestId()));
        assertThat(stored.jobType).isEqualTo("sync");
        assertThat(stored.triggerKind).isEqualTo("manual");
        // Stored pending; the coordinator may already have moved it on (this connection is
        // unknown to Airbyte, so it is refused at once): never back to a second row.
        assertThat(stored.status).isIn("pending", "refused");
    }

    @Test
    void anInvalidRecordGoesToTheDeadLetterTopicAndConsumptionGoesOn() throws Exception {
        String connectionId = UUID.randomUUID().toString();
        producer.send(
                        new ProducerRecord<>(
                                Topics.SYNC_REQUESTS,
                                connectionId,
                                "{not json".getBytes(StandardCharsets.UTF_8)))
                .get(30, TimeUnit.SECONDS);
        SyncRequested valid = request();
        producer.send(
                        CloudEventKafka.record(
                                EventType.SYNC_REQUESTED,
                                valid.requestId(),
                                valid.connectionId(),
                                valid,
                                "/tests"))
                .get(30, TimeUnit.SECONDS);

        try (TopicReader dlq =
                new TopicReader(
                        infra.kafkaBootstrapServers(), Topics.deadLetter("sync-monitor-service"))) {
            var dead = dlq.await(r -> connectionId.equals(r.key()), 1, Duration.ofSeconds(30));
            assertThat(dead).hasSize(1);
            assertThat(CloudEventKafka.header(dead.get(0).headers(), "dead-letter-reason"))
                    .isNotBlank();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> stored(valid.requestId()));
    }

    private boolean stored(String requestId) {
        return tx(() -> requests.findByIdOptional(requestId).isPresent());
    }

    private static <T> T tx(java.util.concurrent.Callable<T> work) {
        return QuarkusTransaction.requiringNew().call(work);
    }

    private static SyncRequested request() {
        return request(UUID.randomUUID().toString());
    }

    private static SyncRequested request(String connectionId) {
        return new SyncRequested(
                UUID.randomUUID().toString(),
                connectionId,
                JobType.SYNC,
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                new Trigger(TriggerKind.MANUAL, "tests", null),
                UUID.randomUUID().toString());
    }
}
