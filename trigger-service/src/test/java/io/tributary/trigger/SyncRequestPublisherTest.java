package io.tributary.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventSchemas;
import io.tributary.events.EventType;
import io.tributary.events.JobType;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncRequested;
import io.tributary.events.Topics;
import io.tributary.events.Trigger;
import io.tributary.events.TriggerKind;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TopicReader;
import io.tributary.local.TributaryTestResource;
import io.tributary.trigger.messaging.SyncRequestPublisher;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "trigger-service"),
        scope = TestResourceScope.GLOBAL)
class SyncRequestPublisherTest {

    @Inject SyncRequestPublisher publisher;
    @Inject KafkaClientService kafkaClients;
    @InjectInfrastructure Infrastructure infra;

    @Test
    void publishedRequestIsAContractEventOnTheRequestsTopic() {
        String connectionId = UUID.randomUUID().toString();
        SyncRequested request =
                new SyncRequested(
                        UUID.randomUUID().toString(),
                        connectionId,
                        JobType.SYNC,
                        Instant.now().truncatedTo(ChronoUnit.MILLIS),
                        new Trigger(TriggerKind.MANUAL, "test", "publisher test"),
                        UUID.randomUUID().toString());

        // Stored in the outbox, published by its relay; returns once Kafka acknowledged it.
        assertThat(publisher.publish(List.of(request))).containsExactly(request.requestId());

        try (TopicReader reader =
                new TopicReader(infra.kafkaBootstrapServers(), Topics.SYNC_REQUESTS)) {
            List<ConsumerRecord<String, byte[]>> records =
                    reader.await(r -> connectionId.equals(r.key()), 1, Duration.ofSeconds(30));
            assertThat(records).hasSize(1);
            ReceivedEvent event = CloudEventKafka.read(records.get(0)).toOptional().orElseThrow();
            assertThat(event.is(EventType.SYNC_REQUESTED)).isTrue();
            assertThat(event.id()).isEqualTo(request.requestId());
            assertThat(event.subject()).isEqualTo(connectionId);
            assertThat(event.dataSchema()).isEqualTo(EventType.SYNC_REQUESTED.dataSchema());
            assertThat(EventSchemas.validate(EventType.SYNC_REQUESTED, event.data())).isEmpty();
            assertThat(event.data(SyncRequested.class)).isEqualTo(request);
        }
    }

    @Test
    void producerIsDurable() {
        // Sync requests leave through service-support's outbox relay, on its "outbox" channel.
        Map<String, ?> config = kafkaClients.getProducer("outbox").configuration();
        assertThat(String.valueOf(config.get("acks"))).isEqualTo("all");
        assertThat(String.valueOf(config.get("enable.idempotence"))).isEqualTo("true");
    }
}
