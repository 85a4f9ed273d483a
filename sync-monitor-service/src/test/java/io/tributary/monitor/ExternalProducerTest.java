package io.tributary.monitor;

import static io.tributary.monitor.Monitor.endings;
import static io.tributary.monitor.Monitor.sandbox;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.EventType;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncStatus;
import io.tributary.events.Topics;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TopicReader;
import io.tributary.local.TributaryTestResource;
import io.tributary.sandbox.ConnectionScript;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Other systems publish on {@code tributary.sync.requests} with their own Kafka client: nothing of
 * ours builds these records (hand-written headers and JSON, a plain {@link KafkaProducer}).
 */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "sync-monitor-service"),
        scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AirbyteSandboxResource.class, scope = TestResourceScope.GLOBAL)
class ExternalProducerTest {

    @InjectInfrastructure Infrastructure infra;
    KafkaProducer<String, String> producer;
    Monitor monitor;

    @BeforeEach
    void open() {
        producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                infra.kafkaBootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new StringSerializer());
        monitor = new Monitor(infra.kafkaBootstrapServers());
    }

    @AfterEach
    void close() {
        producer.close();
        monitor.close();
    }

    void publish(String key, String value, Map<String, String> headers) {
        ProducerRecord<String, String> record =
                new ProducerRecord<>(Topics.SYNC_REQUESTS, key, value);
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> headers(String ceId) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ce_specversion", "1.0");
        h.put("ce_id", ceId);
        h.put("ce_source", "/acme/erp");
        h.put("ce_type", "io.tributary.sync.requested");
        h.put("content-type", "application/json");
        return h;
    }

    static String data(
            String requestId, String connectionId, String jobType, boolean withRequestedAt) {
        return "{\"requestId\":\""
                + requestId
                + "\",\"connectionId\":\""
                + connectionId
                + "\",\"jobType\":\""
                + jobType
                + "\""
                + (withRequestedAt
                        ? ",\"requestedAt\":\""
                                + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                                + "\""
                        : "")
                + ",\"trigger\":{\"kind\":\"manual\",\"id\":\"acme-erp\",\"detail\":\"nightly export\"}"
                + ",\"correlationId\":\"erp-42\"}";
    }

    @Test
    void aRecordFromAPlainKafkaProducerIsServed() {
        UUID conn =
                sandbox()
                        .addConnection(
                                "erp → warehouse",
                                ConnectionScript.succeedAfter(Duration.ofSeconds(3), 77));
        String requestId = UUID.randomUUID().toString();
        publish(
                conn.toString(),
                data(requestId, conn.toString(), "sync", true),
                headers(requestId));

        List<ReceivedEvent> events = monitor.events(conn, 2);
        assertThat(events)
                .extracting(ReceivedEvent::type)
                .containsExactly(EventType.SYNC_STARTED.type(), EventType.SYNC_SUCCEEDED.type());
        SyncFinished ended = endings(events).get(0);
        assertThat(ended.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(ended.rowsSynced()).isEqualTo(77);
        assertThat(ended.requestIds()).containsExactly(requestId);
        assertThat(ended.correlationId()).isEqualTo("erp-42");
    }

    @Test
    void invalidRecordsGoToTheDeadLetterTopicWithTheirReasonAndTheConsumerGoesOn() {
        // key → the expected reason; each case is keyed by its own connection id (or junk).
        Map<String, String> expected = new LinkedHashMap<>();

        String garbage = UUID.randomUUID().toString();
        publish(garbage, "{not json", headers(UUID.randomUUID().toString()));
        expected.put(garbage, "not JSON");

        String noType = UUID.randomUUID().toString();
        Map<String, String> h = headers(UUID.randomUUID().toString());
        h.remove("ce_type");
        publish(noType, data(h.get("ce_id"), noType, "sync", true), h);
        expected.put(noType, "missing ce_type");

        String otherType = UUID.randomUUID().toString();
        h = headers(UUID.randomUUID().toString());
        h.put("ce_type", "io.tributary.sync.succeeded");
        publish(otherType, data(h.get("ce_id"), otherType, "sync", true), h);
        expected.put(otherType, "io.tributary.sync.succeeded");

        String notUuid = "orders-connection-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        publish(notUuid, data(id, notUuid, "sync", true), headers(id));
        expected.put(notUuid, "connectionId");

        String badJobType = UUID.randomUUID().toString();
        id = UUID.randomUUID().toString();
        publish(badJobType, data(id, badJobType, "refresh", true), headers(id));
        expected.put(badJobType, "jobType");

        String noTime = UUID.randomUUID().toString();
        id = UUID.randomUUID().toString();
        publish(noTime, data(id, noTime, "sync", false), headers(id));
        expected.put(noTime, "requestedAt");

        String otherId = UUID.randomUUID().toString();
        publish(
                otherId,
                data(UUID.randomUUID().toString(), otherId, "sync", true),
                headers(UUID.randomUUID().toString()));
        expected.put(otherId, "differs from data.requestId");

        String wrongKey = UUID.randomUUID().toString();
        String keyedConnection = UUID.randomUUID().toString();
        id = UUID.randomUUID().toString();
        publish(wrongKey, data(id, keyedConnection, "sync", true), headers(id));
        expected.put(wrongKey, "record key must be the connectionId");

        // After all of them, a valid request is still served.
        UUID conn =
                sandbox()
                        .addConnection(
                                "after the junk", ConnectionScript.succeedAfter(Duration.ZERO, 1));
        String valid = UUID.randomUUID().toString();
        publish(conn.toString(), data(valid, conn.toString(), "sync", true), headers(valid));

        try (TopicReader dlq =
                new TopicReader(
                        infra.kafkaBootstrapServers(), Topics.deadLetter("sync-monitor-service"))) {
            List<ConsumerRecord<String, byte[]>> dead =
                    dlq.await(
                            r -> expected.containsKey(r.key()),
                            expected.size(),
                            Duration.ofSeconds(60));
            assertThat(dead).hasSize(expected.size());
            for (ConsumerRecord<String, byte[]> r : dead) {
                String reason =
                        new String(
                                r.headers().lastHeader("dead-letter-reason").value(),
                                StandardCharsets.UTF_8);
                assertThat(reason).as(r.key()).contains(expected.get(r.key()));
                assertThat(r.headers().lastHeader("dead-letter-topic").value())
                        .asString(StandardCharsets.UTF_8)
                        .isEqualTo(Topics.SYNC_REQUESTS);
            }
        }
        assertThat(endings(monitor.events(conn, 2))).hasSize(1);
    }
}
