package io.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import io.tributary.events.SyncFinished;
import io.tributary.events.Topics;
import io.tributary.events.TransformEvent;
import io.tributary.events.TransformStatus;
import io.tributary.events.TransformTrigger;
import io.tributary.events.TransformTriggerKind;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TopicReader;
import io.tributary.support.inbox.ProcessedEvents;
import io.tributary.transform.messaging.TransformEventPublisher;
import io.tributary.transform.support.TestSupport;
import io.tributary.transform.support.TransformTestResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(
        value = TransformTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "transform-service"),
        scope = TestResourceScope.GLOBAL)
class SyncEventListenerTest {

    @InjectInfrastructure Infrastructure infra;
    @Inject ProcessedEvents processed;
    @Inject TransformEventPublisher publisher;
    @Inject KafkaClientService kafkaClients;

    @Test
    void aSyncEndingIsProcessedOnceAndGarbageGoesToTheDeadLetterTopic() throws Exception {
        String connectionId = UUID.randomUUID().toString();
        SyncFinished done = TestSupport.succeeded(connectionId, 7);
        String ceId = TestSupport.syncEventId(connectionId, 7);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                infra.kafkaBootstrapServers()),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    Topics.SYNC_EVENTS,
                                    connectionId,
                                    "garbage".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 2; i++) {
                producer.send(
                                CloudEventKafka.record(
                                        EventType.SYNC_SUCCEEDED,
                                        ceId,
                                        connectionId,
                                        done,
                                        "/tests"))
                        .get(30, TimeUnit.SECONDS);
            }
        }
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                QuarkusTransaction.requiringNew()
                                        .call(() -> processed.isProcessed(ceId)));
        try (TopicReader dlq =
                new TopicReader(
                        infra.kafkaBootstrapServers(), Topics.deadLetter("transform-service"))) {
            assertThat(dlq.await(r -> connectionId.equals(r.key()), 1, Duration.ofSeconds(30)))
                    .hasSize(1);
        }
        // The second copy is dropped: recording it again reports "already processed".
        assertThat(
                        QuarkusTransaction.requiringNew()
                                .call(
                                        () ->
                                                processed.markProcessed(
                                                        ceId,
                                                        EventType.SYNC_SUCCEEDED.type(),
                                                        connectionId)))
                .isFalse();
    }

    @Test
    void transformEventsArePublishedDurablyKeyedByTransformName() throws Exception {
        String name = "shop_" + UUID.randomUUID().toString().substring(0, 8);
        TransformEvent started =
                new TransformEvent(
                        name,
                        UUID.randomUUID().toString(),
                        TransformStatus.STARTED,
                        "build",
                        null,
                        "dev",
                        new TransformTrigger(TransformTriggerKind.MANUAL, List.of(), List.of()),
                        Instant.now().truncatedTo(ChronoUnit.SECONDS),
                        null,
                        null,
                        null,
                        null,
                        List.of(),
                        null,
                        null);
        // Stored in the outbox with the change it announces, published by the relay.
        QuarkusTransaction.requiringNew().run(() -> publisher.publish(started));
        try (TopicReader reader =
                new TopicReader(infra.kafkaBootstrapServers(), Topics.TRANSFORM_EVENTS)) {
            var records = reader.await(r -> name.equals(r.key()), 1, Duration.ofSeconds(30));
            assertThat(records).hasSize(1);
            var event = CloudEventKafka.readValidated(records.get(0)).toOptional().orElseThrow();
            assertThat(event.is(EventType.TRANSFORM_STARTED)).isTrue();
        }
        Map<String, ?> config = kafkaClients.getProducer("outbox").configuration();
        assertThat(String.valueOf(config.get("acks"))).isEqualTo("all");
        assertThat(String.valueOf(config.get("enable.idempotence"))).isEqualTo("true");
    }
}
