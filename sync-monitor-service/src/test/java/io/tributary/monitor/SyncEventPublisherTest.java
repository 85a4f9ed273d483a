package io.tributary.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventIds;
import io.tributary.events.EventType;
import io.tributary.events.JobType;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncStarted;
import io.tributary.events.Topics;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TopicReader;
import io.tributary.monitor.job.JobEntity;
import io.tributary.monitor.job.SyncRequestEntity;
import io.tributary.monitor.messaging.SyncEventPublisher;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SyncEventPublisherTest {

    @Inject SyncEventPublisher publisher;
    @Inject KafkaClientService kafkaClients;
    @InjectInfrastructure Infrastructure infra;

    @Test
    void aStartedJobIsPublishedOnceWithAStableIdKeyedByConnection() {
        String connectionId = UUID.randomUUID().toString();
        JobEntity job = new JobEntity();
        job.jobId = 4242L;
        job.connectionId = connectionId;
        job.jobType = "sync";
        job.createdAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SyncRequestEntity request = new SyncRequestEntity();
        request.requestId = UUID.randomUUID().toString();
        request.attached = false;
        request.correlationId = "corr-1";
        // Stored twice, as when the same decision is taken again: one event, its id derived.
        QuarkusTransaction.requiringNew().run(() -> publisher.started(job, List.of(request)));
        QuarkusTransaction.requiringNew().run(() -> publisher.started(job, List.of(request)));

        try (TopicReader reader =
                new TopicReader(infra.kafkaBootstrapServers(), Topics.SYNC_EVENTS)) {
            reader.await(r -> connectionId.equals(r.key()), 1, Duration.ofSeconds(30));
            var records = reader.drain(r -> connectionId.equals(r.key()), Duration.ofSeconds(3));
            assertThat(records).hasSize(1);
            ReceivedEvent event =
                    CloudEventKafka.readValidated(records.get(0)).toOptional().orElseThrow();
            assertThat(event.is(EventType.SYNC_STARTED)).isTrue();
            assertThat(event.id())
                    .isEqualTo(EventIds.derive("sync.started", "4242", request.requestId));
            assertThat(event.data(SyncStarted.class))
                    .isEqualTo(
                            new SyncStarted(
                                    connectionId,
                                    4242L,
                                    JobType.SYNC,
                                    List.of(request.requestId),
                                    false,
                                    job.createdAt,
                                    "corr-1"));
        }
        Map<String, ?> config = kafkaClients.getProducer("outbox").configuration();
        assertThat(String.valueOf(config.get("acks"))).isEqualTo("all");
        assertThat(String.valueOf(config.get("enable.idempotence"))).isEqualTo("true");
    }
}
