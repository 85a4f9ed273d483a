package io.tributary.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.DeliveryStatus;
import io.tributary.events.EventType;
import io.tributary.events.NotificationEvent;
import io.tributary.events.Topics;
import io.tributary.events.TransformEvent;
import io.tributary.events.TransformStatus;
import io.tributary.events.TransformTrigger;
import io.tributary.events.TransformTriggerKind;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TopicReader;
import io.tributary.local.TributaryTestResource;
import io.tributary.notifier.messaging.NotificationEventPublisher;
import io.tributary.support.inbox.ProcessedEvents;
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
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "notifier-service"),
        scope = TestResourceScope.GLOBAL)
class PipelineEventListenerTest {

    @InjectInfrastructure Infrastructure infra;
    @Inject ProcessedEvents processed;
    @Inject NotificationEventPublisher publisher;
    @Inject KafkaClientService kafkaClients;

    @Test
    void transformEventsAreConsumedOnceAndGarbageIsDeadLettered() throws Exception {
        String name = "mart_" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        TransformEvent failed =
                new TransformEvent(
                        name,
                        UUID.randomUUID().toString(),
                        TransformStatus.FAILED,
                        "build",
                        null,
                        "dev",
                        new TransformTrigger(TransformTriggerKind.MANUAL, List.of(), List.of()),
                        now.minusSeconds(5),
                        now,
                        Duration.ofSeconds(5),
                        1,
                        null,
                        List.of(),
                        null,
                        "dbt failed");
        String ceId = UUID.randomUUID().toString();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                infra.kafkaBootstrapServers()),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    Topics.TRANSFORM_EVENTS,
                                    name,
                                    "[1,2".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
            producer.send(
                            CloudEventKafka.record(
                                    EventType.TRANSFORM_FAILED, ceId, name, failed, "/tests"))
                    .get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                QuarkusTransaction.requiringNew()
                                        .call(() -> processed.isProcessed(ceId)));
        try (TopicReader dlq =
                new TopicReader(
                        infra.kafkaBootstrapServers(), Topics.deadLetter("notifier-service"))) {
            assertThat(dlq.await(r -> name.equals(r.key()), 1, Duration.ofSeconds(30))).hasSize(1);
        }
    }

    @Test
    void deliveryOutcomesArePublishedDurably() throws Exception {
        String subscription = UUID.randomUUID().toString();
        NotificationEvent delivered =
                new NotificationEvent(
                        subscription,
                        "slack",
                        UUID.randomUUID().toString(),
                        EventType.SYNC_FAILED.type(),
                        1,
                        DeliveryStatus.DELIVERED,
                        "200 OK",
                        UUID.randomUUID().toString());
        // Stored in a transaction (the outbox), published by the relay after the commit.
        QuarkusTransaction.requiringNew().run(() -> publisher.publish(delivered, 0));
        try (TopicReader reader =
                new TopicReader(infra.kafkaBootstrapServers(), Topics.NOTIFICATION_EVENTS)) {
            var records =
                    reader.await(r -> subscription.equals(r.key()), 1, Duration.ofSeconds(30));
            assertThat(records).hasSize(1);
            var event = CloudEventKafka.readValidated(records.get(0)).toOptional().orElseThrow();
            assertThat(event.is(EventType.NOTIFICATION_DELIVERED)).isTrue();
        }
        Map<String, ?> config = kafkaClients.getProducer("outbox").configuration();
        assertThat(String.valueOf(config.get("acks"))).isEqualTo("all");
        assertThat(String.valueOf(config.get("enable.idempotence"))).isEqualTo("true");
    }
}
