package io.tributary.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import io.tributary.events.JobType;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncStarted;
import io.tributary.events.Topics;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TopicReader;
import io.tributary.monitor.messaging.SyncEventPublisher;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SyncEventPublisherTest {

    @Inject SyncEventPublisher publisher;
    @Inject KafkaClientService kafkaClients;
    @InjectInfrastructure Infrastructure infra;

    @Test
    void aStartedJobIsPublishedWithAStableIdKeyedByConnection() throws Exception {
        String connectionId = UUID.randomUUID().toString();
        SyncStarted started =
                new SyncStarted(
                        connectionId,
                        4242L,
                        JobType.SYNC,
                        List.of(UUID.randomUUID().toString()),
                        false,
                        Instant.now().truncatedTo(ChronoUnit.SECONDS),
                        "corr-1");
        // Sent twice, as after a crash between sending and recording: same ce_id both times.
        publisher.started(started).toCompletableFuture().get(30, TimeUnit.SECONDS);
        publisher.started(started).toCompletableFuture().get(30, TimeUnit.SECONDS);

        try (TopicReader reader =
                new TopicReader(infra.kafkaBootstrapServers(), Topics.SYNC_EVENTS)) {
            var records =
                    reader.await(r -> connectionId.equals(r.key()), 2, Duration.ofSeconds(30));
            assertThat(records).hasSize(2);
            List<ReceivedEvent> events =
                    records.stream()
                            .map(r -> CloudEventKafka.readValidated(r).toOptional().orElseThrow())
                            .toList();
            assertThat(events).allMatch(e -> e.is(EventType.SYNC_STARTED));
            assertThat(events.get(0).id()).isEqualTo(events.get(1).id());
            assertThat(events.get(0).data(SyncStarted.class)).isEqualTo(started);
        }
        Map<String, ?> config = kafkaClients.getProducer("sync-events").configuration();
        assertThat(String.valueOf(config.get("acks"))).isEqualTo("all");
        assertThat(String.valueOf(config.get("enable.idempotence"))).isEqualTo("true");
    }
}
