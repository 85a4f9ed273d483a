package io.tributary.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import io.tributary.events.JobType;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncRequested;
import io.tributary.events.SyncStatus;
import io.tributary.events.Topics;
import io.tributary.events.TriggerKind;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TopicReader;
import io.tributary.local.TributaryTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Event rules on real Kafka: chains, conditions, idempotency, cycles and bad records. */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "trigger-service"),
        scope = TestResourceScope.GLOBAL)
class RuleTest {
    @InjectInfrastructure Infrastructure infra;

    static String rule(String from, String to, String condition) {
        String id = "rule-" + UUID.randomUUID();
        var body =
                new java.util.HashMap<String, Object>(
                        Map.of(
                                "id",
                                id,
                                "eventTypes",
                                List.of("sync.succeeded"),
                                "sourceConnectionIds",
                                List.of(from),
                                "targetConnectionIds",
                                List.of(to)));
        if (condition != null) {
            body.put("condition", condition);
        }
        Api.admin().body(body).post("/api/rules").then().statusCode(201);
        return id;
    }

    /** What the sync-monitor would publish when a sync ends. */
    void finished(
            String ceId, String connection, SyncStatus status, long rows, String correlationId) {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        SyncFinished data =
                new SyncFinished(
                        connection,
                        42L,
                        JobType.SYNC,
                        List.of(correlationId),
                        false,
                        start,
                        correlationId,
                        status,
                        start.plusSeconds(60),
                        Duration.ofSeconds(60),
                        rows,
                        rows * 100,
                        status == SyncStatus.FAILED
                                ? io.tributary.events.FailureReason.AIRBYTE_FAILED
                                : null,
                        status == SyncStatus.FAILED ? "boom" : null);
        send(
                CloudEventKafka.record(
                        EventType.syncFinished(status),
                        ceId,
                        connection,
                        data,
                        CloudEventKafka.source("sync-monitor-service")));
    }

    void send(ProducerRecord<String, byte[]> record) {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                infra.kafkaBootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void chainAThenBThenCCarriesTheCorrelationId() {
        String a = Api.connection();
        String b = Api.connection();
        String c = Api.connection();
        String ab = rule(a, b, "rowsSynced > 0");
        String bc = rule(b, c, null);
        String correlation = UUID.randomUUID().toString();
        String upstream = UUID.randomUUID().toString();

        finished(upstream, a, SyncStatus.SUCCEEDED, 5, correlation);
        List<ReceivedEvent> toB = Api.exactly(infra, List.of(b), 1);
        assertThat(toB).hasSize(1);
        SyncRequested requestB = Api.data(toB.get(0));
        assertThat(requestB.trigger().kind()).isEqualTo(TriggerKind.EVENT);
        assertThat(requestB.trigger().id()).isEqualTo(ab);
        assertThat(requestB.trigger().detail()).isEqualTo(upstream);
        assertThat(requestB.correlationId()).isEqualTo(correlation);
        assertThat(requestB.jobType()).isEqualTo(JobType.SYNC);

        // The monitor ran B: its success requests C, still in the same correlation.
        finished(UUID.randomUUID().toString(), b, SyncStatus.SUCCEEDED, 0, correlation);
        List<ReceivedEvent> toC = Api.exactly(infra, List.of(c), 1);
        assertThat(toC).hasSize(1);
        assertThat(Api.data(toC.get(0)).trigger().id()).isEqualTo(bc);
        assertThat(Api.data(toC.get(0)).correlationId()).isEqualTo(correlation);
    }

    @Test
    void conditionsTypesAndRepeatsEmitNothingMore() {
        String a = Api.connection();
        String b = Api.connection();
        rule(a, b, "rowsSynced > 0");
        String upstream = UUID.randomUUID().toString();
        finished(upstream, a, SyncStatus.SUCCEEDED, 7, upstream);
        finished(upstream, a, SyncStatus.SUCCEEDED, 7, upstream); // redelivered: same ce_id
        finished(
                UUID.randomUUID().toString(),
                a,
                SyncStatus.SUCCEEDED,
                0,
                upstream); // condition false
        finished(UUID.randomUUID().toString(), a, SyncStatus.FAILED, 7, upstream); // other type
        finished(
                UUID.randomUUID().toString(),
                Api.connection(),
                SyncStatus.SUCCEEDED,
                7,
                upstream); // other source
        assertThat(Api.exactly(infra, List.of(b), 1)).hasSize(1);
    }

    @Test
    void aCelConditionSeesTheDataAndTheAttributes() {
        String a = Api.connection();
        String b = Api.connection();
        rule(
                a,
                b,
                "data.rowsSynced > 0 && data.jobType == 'sync' && subject == '"
                        + a
                        + "' && type.endsWith('.succeeded')");
        String correlation = UUID.randomUUID().toString();
        finished(UUID.randomUUID().toString(), a, SyncStatus.SUCCEEDED, 0, correlation);
        String matching = UUID.randomUUID().toString();
        finished(matching, a, SyncStatus.SUCCEEDED, 3, correlation);
        List<ReceivedEvent> toB = Api.exactly(infra, List.of(b), 1);
        assertThat(toB).hasSize(1);
        assertThat(Api.data(toB.get(0)).trigger().detail()).isEqualTo(matching);
    }

    @Test
    void aRuleThatWouldCloseACycleIsRefused() {
        String a = Api.connection();
        String b = Api.connection();
        String c = Api.connection();
        rule(a, b, null);
        rule(b, c, null);
        Map<String, Object> back =
                Map.of(
                        "id",
                        "back-" + UUID.randomUUID(),
                        "eventTypes",
                        List.of("sync.failed"),
                        "sourceConnectionIds",
                        List.of(c),
                        "targetConnectionIds",
                        List.of(a));
        Api.admin()
                .body(back)
                .post("/api/rules")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("cycle"))
                .body("detail", containsString(a));
        Api.admin()
                .body(
                        Map.of(
                                "id",
                                "self-" + UUID.randomUUID(),
                                "eventTypes",
                                List.of("sync.succeeded"),
                                "sourceConnectionIds",
                                List.of(a),
                                "targetConnectionIds",
                                List.of(a)))
                .post("/api/rules")
                .then()
                .statusCode(409);
        // Saved disabled it is harmless; enabling it is refused.
        String id = "parked-" + UUID.randomUUID();
        Api.admin()
                .body(
                        Map.of(
                                "id",
                                id,
                                "eventTypes",
                                List.of("sync.failed"),
                                "sourceConnectionIds",
                                List.of(c),
                                "targetConnectionIds",
                                List.of(a),
                                "enabled",
                                false))
                .post("/api/rules")
                .then()
                .statusCode(201);
        Api.admin()
                .body(
                        Map.of(
                                "eventTypes",
                                List.of("sync.failed"),
                                "sourceConnectionIds",
                                List.of(c),
                                "targetConnectionIds",
                                List.of(a),
                                "enabled",
                                true))
                .put("/api/rules/" + id)
                .then()
                .statusCode(409);
    }

    @Test
    void aBadRecordGoesToTheDeadLetterTopicAndTheConsumerGoesOn() {
        String a = Api.connection();
        String b = Api.connection();
        rule(a, b, null);
        ProducerRecord<String, byte[]> garbage =
                new ProducerRecord<>(
                        Topics.SYNC_EVENTS, a, "not json".getBytes(StandardCharsets.UTF_8));
        garbage.headers().add("ce_id", "garbage-1".getBytes(StandardCharsets.UTF_8));
        send(garbage);
        finished(
                UUID.randomUUID().toString(),
                a,
                SyncStatus.SUCCEEDED,
                1,
                UUID.randomUUID().toString());
        assertThat(Api.exactly(infra, List.of(b), 1)).hasSize(1);
        try (TopicReader dlq =
                new TopicReader(
                        infra.kafkaBootstrapServers(), Topics.deadLetter("trigger-service"))) {
            assertThat(dlq.await(r -> a.equals(r.key()), 1, Duration.ofSeconds(30))).hasSize(1);
        }
    }
}
