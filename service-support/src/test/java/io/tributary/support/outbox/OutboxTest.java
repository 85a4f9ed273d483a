package io.tributary.support.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventJson;
import io.tributary.events.EventType;
import io.tributary.events.JobType;
import io.tributary.events.SyncRequested;
import io.tributary.events.Trigger;
import io.tributary.events.TriggerKind;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TopicReader;
import io.tributary.local.TributaryTestResource;
import io.tributary.support.inbox.ProcessedEvents;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The outbox and the inbox on a real PostgreSQL and Kafka broker. */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "service-support"),
        scope = TestResourceScope.GLOBAL)
class OutboxTest {
    private static final String SOURCE = CloudEventKafka.source("service-support");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @InjectInfrastructure Infrastructure infra;
    @Inject Outbox outbox;
    @Inject OutboxRepository repository;
    @Inject OutboxRelay relay;
    @Inject ProcessedEvents processed;

    private static SyncRequested request(String connectionId) {
        return new SyncRequested(
                UUID.randomUUID().toString(),
                connectionId,
                JobType.SYNC,
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                new Trigger(TriggerKind.MANUAL, "test", null),
                "corr-" + connectionId);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private void store(SyncRequested r, String ceId) {
        QuarkusTransaction.requiringNew()
                .run(() -> outbox.add(EventType.SYNC_REQUESTED, ceId, r.connectionId(), r, SOURCE));
    }

    @Test
    void aCommittedEventIsPublishedOnceWithItsStoredIdInOrder() {
        String conn = "conn-" + UUID.randomUUID();
        List<SyncRequested> requests = List.of(request(conn), request(conn), request(conn));
        try (TopicReader reader =
                new TopicReader(infra.kafkaBootstrapServers(), "tributary.sync.requests")) {
            for (SyncRequested r : requests) {
                store(r, "ce-" + r.requestId());
                // The same id again (a retried transaction): still one event.
                store(r, "ce-" + r.requestId());
            }
            List<ConsumerRecord<String, byte[]>> got =
                    reader.await(r -> conn.equals(r.key()), 3, WAIT);
            assertThat(got).hasSize(3);
            for (int i = 0; i < 3; i++) {
                ConsumerRecord<String, byte[]> record = got.get(i);
                SyncRequested r = requests.get(i);
                assertThat(header(record, "ce_id")).isEqualTo("ce-" + r.requestId());
                assertThat(header(record, "ce_type")).isEqualTo("io.tributary.sync.requested");
                assertThat(header(record, "ce_source")).isEqualTo(SOURCE);
                assertThat(header(record, "ce_subject")).isEqualTo(conn);
                assertThat(EventJson.read(record.value(), SyncRequested.class)).isEqualTo(r);
            }
            assertThat(reader.drain(r -> conn.equals(r.key()), Duration.ofSeconds(1))).hasSize(3);
        }
        await().atMost(WAIT)
                .until(() -> QuarkusTransaction.requiringNew().call(repository::pending) == 0);
    }

    @Test
    void aRolledBackChangeLeavesNoEvent() {
        SyncRequested r = request("conn-" + UUID.randomUUID());
        assertThatThrownBy(
                        () ->
                                QuarkusTransaction.requiringNew()
                                        .run(
                                                () -> {
                                                    outbox.add(
                                                            EventType.SYNC_REQUESTED,
                                                            "ce-" + r.requestId(),
                                                            r.connectionId(),
                                                            r,
                                                            SOURCE);
                                                    throw new IllegalStateException("rollback");
                                                }))
                .hasMessageContaining("rollback");
        assertThat(
                        QuarkusTransaction.requiringNew()
                                .call(() -> repository.count("ceId", "ce-" + r.requestId())))
                .isZero();
    }

    @Test
    void addingOutsideATransactionOrWithTheWrongDataIsRefused() {
        SyncRequested r = request("conn-x");
        assertThatThrownBy(() -> outbox.add(EventType.SYNC_REQUESTED, "ce-x", "conn-x", r, SOURCE))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(
                        () ->
                                QuarkusTransaction.requiringNew()
                                        .run(
                                                () ->
                                                        outbox.add(
                                                                EventType.SYNC_STARTED,
                                                                "ce-y",
                                                                "conn-x",
                                                                r,
                                                                SOURCE)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whatWasStoredWhileKafkaWasDownIsPublishedWhenItIsBack() {
        String conn = "conn-" + UUID.randomUUID();
        SyncRequested r = request(conn);
        infra.stopKafka();
        try {
            store(r, "ce-" + r.requestId());
            assertThat(relay.relay()).isZero();
            assertThat(QuarkusTransaction.requiringNew().call(repository::pending)).isPositive();
        } finally {
            infra.startKafka();
        }
        try (TopicReader reader =
                new TopicReader(infra.kafkaBootstrapServers(), "tributary.sync.requests")) {
            assertThat(reader.await(rec -> conn.equals(rec.key()), 1, Duration.ofSeconds(90)))
                    .hasSize(1);
        }
    }

    @Test
    void theInboxAcceptsAnIdOnce() {
        String id = "ce-" + UUID.randomUUID();
        assertThat(
                        QuarkusTransaction.requiringNew()
                                .call(() -> processed.markProcessed(id, "t", "s")))
                .isTrue();
        assertThat(
                        QuarkusTransaction.requiringNew()
                                .call(() -> processed.markProcessed(id, "t", "s")))
                .isFalse();
        assertThat(QuarkusTransaction.requiringNew().call(() -> processed.isProcessed(id)))
                .isTrue();
        assertThatThrownBy(() -> processed.markProcessed("other", "t", "s"))
                .isInstanceOf(IllegalStateException.class);
    }
}
