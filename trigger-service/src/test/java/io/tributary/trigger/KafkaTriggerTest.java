package io.tributary.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncRequested;
import io.tributary.events.Topics;
import io.tributary.events.TriggerKind;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.KafkaTopics;
import io.tributary.local.TopicReader;
import io.tributary.local.TributaryTestResource;
import io.tributary.trigger.kafka.KafkaTriggers;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kafka triggers on real Kafka: other systems' topics request syncs. */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "trigger-service"),
        scope = TestResourceScope.GLOBAL)
class KafkaTriggerTest {
    @InjectInfrastructure Infrastructure infra;
    @Inject KafkaTriggers triggers;

    KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void producer() {
        producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                infra.kafkaBootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.LINGER_MS_CONFIG,
                                5),
                        new StringSerializer(),
                        new ByteArraySerializer());
    }

    @AfterEach
    void close() {
        producer.close();
    }

    String topic() {
        String topic = "ext.orders-" + UUID.randomUUID();
        KafkaTopics.ensure(infra.kafkaBootstrapServers(), List.of(topic), 2);
        return topic;
    }

    /** Creates a trigger through the API (reading from the earliest offset) and returns its id. */
    static String trigger(String topic, String connection, Map<String, Object> extra) {
        String id = "kt-" + UUID.randomUUID();
        Map<String, Object> body = new HashMap<>();
        body.put("id", id);
        body.put("topic", topic);
        body.put("connectionIds", List.of(connection));
        body.put("startFrom", "earliest");
        body.putAll(extra);
        Api.admin().body(body).post("/api/kafka-triggers").then().statusCode(201);
        return id;
    }

    RecordMetadata send(String topic, String key, String value, String... headers) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(
                        topic, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            record.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        try {
            return producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String detail(RecordMetadata m) {
        return m.topic() + "/" + m.partition() + "/" + m.offset();
    }

    List<ConsumerRecord<String, byte[]>> deadLetters(String topic, int count) {
        try (TopicReader dlq =
                new TopicReader(
                        infra.kafkaBootstrapServers(), Topics.deadLetter("trigger-service"))) {
            return dlq.await(
                    r -> topic.equals(header(r, "dead-letter-topic")),
                    count,
                    Duration.ofSeconds(30));
        }
    }

    static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aMatchingJsonRecordRequestsOneSyncNamingTopicPartitionAndOffset() {
        String topic = topic();
        String connection = Api.connection();
        String id =
                trigger(
                        topic,
                        connection,
                        Map.of(
                                "minInterval",
                                "PT0S",
                                "jobType",
                                "reset",
                                "filter",
                                List.of(
                                        Map.of("pointer", "/op", "in", List.of("c", "u")),
                                        Map.of("header", "source", "equals", "debezium"))));
        send(topic, "1", "{\"op\":\"d\",\"id\":1}", "source", "debezium"); // value filter
        send(topic, "2", "{\"op\":\"c\",\"id\":2}", "source", "batch"); // header filter
        send(topic, "3", "{\"op\":\"c\"}"); // no header
        send(topic, "4", null); // a tombstone: skipped, not an error
        RecordMetadata match = send(topic, "5", "{\"op\":\"u\",\"id\":5}", "source", "debezium");

        List<ReceivedEvent> requests = Api.exactly(infra, List.of(connection), 1);
        assertThat(requests).hasSize(1);
        SyncRequested request = Api.data(requests.get(0));
        assertThat(request.trigger().kind()).isEqualTo(TriggerKind.KAFKA);
        assertThat(request.trigger().id()).isEqualTo(id);
        assertThat(request.trigger().detail()).isEqualTo(detail(match));
        assertThat(request.jobType().wire()).isEqualTo("reset");
        assertThat(requests.get(0).id()).isEqualTo(request.requestId());
    }

    @Test
    void aCelFilterSeesTheValueTheKeyTheTopicAndTheHeaders() {
        String topic = topic();
        String connection = Api.connection();
        trigger(
                topic,
                connection,
                Map.of(
                        "minInterval",
                        "PT0S",
                        "filter",
                        "data.op == 'c' && key.startsWith('order-') && topic == '"
                                + topic
                                + "' && headers['source'] == 'debezium'"));
        send(topic, "order-1", "{\"op\":\"u\"}", "Source", "debezium"); // value
        send(topic, "invoice-1", "{\"op\":\"c\"}", "Source", "debezium"); // key
        send(topic, "order-2", "{\"op\":\"c\"}", "Source", "batch"); // header
        RecordMetadata match = send(topic, "order-3", "{\"op\":\"c\"}", "Source", "debezium");
        List<ReceivedEvent> requests = Api.exactly(infra, List.of(connection), 1);
        assertThat(requests).hasSize(1);
        assertThat(Api.data(requests.get(0)).trigger().detail()).isEqualTo(detail(match));
    }

    @Test
    void aBurstOfMatchingRecordsIsAtMostOneRequestPerIntervalPlusATrailingOne() {
        String hourTopic = topic();
        String hourly = Api.connection();
        trigger(hourTopic, hourly, Map.of("minInterval", "PT1H"));
        String shortTopic = topic();
        String everyTwoSeconds = Api.connection();
        trigger(shortTopic, everyTwoSeconds, Map.of("minInterval", "PT2S"));

        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byte[] value = ("{\"op\":\"u\",\"id\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            acks.add(producer.send(new ProducerRecord<>(hourTopic, "k" + (i % 10), value)));
            acks.add(producer.send(new ProducerRecord<>(shortTopic, "k" + (i % 10), value)));
        }
        producer.flush();
        assertThat(acks).allMatch(Future::isDone);

        // One hour: exactly one request (the next one would come an hour later).
        assertThat(Api.exactly(infra, List.of(hourly), 1)).hasSize(1);
        // Two seconds: the first record requests at once, the records held back in the interval
        // request once more when it ends, and that is all.
        List<ReceivedEvent> shortOnes =
                Api.requestsWithin(infra, List.of(everyTwoSeconds), Duration.ofSeconds(8));
        // (More than two only if reading the burst itself outlasts an interval on a slow machine.)
        assertThat(shortOnes).hasSizeBetween(2, 4);
        for (int i = 1; i < shortOnes.size(); i++) {
            Duration gap =
                    Duration.between(
                            Api.data(shortOnes.get(i - 1)).requestedAt(),
                            Api.data(shortOnes.get(i)).requestedAt());
            assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        }
        assertThat(Api.data(shortOnes.get(1)).trigger().detail()).startsWith(shortTopic + "/");
    }

    @Test
    void aTriggerAddedThroughTheApiConsumesAtOnceAndStopsWhenDeleted() {
        String topic = topic();
        String connection = Api.connection();
        String id = trigger(topic, connection, Map.of("minInterval", "PT0S"));
        assertThat(triggers.running()).contains(id);
        Api.viewer()
                .get("/api/kafka-triggers/" + id)
                .then()
                .statusCode(200)
                .body("groupId", equalTo("tributary-trigger-" + id))
                .body("format", equalTo("json"));
        RecordMetadata first = send(topic, "a", "{\"n\":1}");
        List<ReceivedEvent> requests = Api.exactly(infra, List.of(connection), 1);
        assertThat(Api.data(requests.get(0)).trigger().detail()).isEqualTo(detail(first));

        Api.admin().delete("/api/kafka-triggers/" + id).then().statusCode(204);
        assertThat(triggers.running()).doesNotContain(id);
        Api.viewer().get("/api/kafka-triggers/" + id).then().statusCode(404);
        send(topic, "b", "{\"n\":2}");
        assertThat(Api.requestsWithin(infra, List.of(connection), Duration.ofSeconds(4)))
                .hasSize(1); // only the first one
    }

    @Test
    void invalidRecordsAreDeadLetteredWithTheirReasonAndConsumptionGoesOn() {
        String jsonTopic = topic();
        String a = Api.connection();
        trigger(jsonTopic, a, Map.of("minInterval", "PT0S"));
        RecordMetadata garbage = send(jsonTopic, "k", "not json {", "x-origin", "partner");
        RecordMetadata good = send(jsonTopic, "k", "{\"ok\":true}");

        String ceTopic = topic();
        String b = Api.connection();
        trigger(
                ceTopic,
                b,
                Map.of(
                        "minInterval",
                        "PT0S",
                        "format",
                        "cloudevents-structured",
                        "filter",
                        List.of(
                                Map.of("pointer", "/type", "equals", "com.acme.export.finished"),
                                Map.of("pointer", "/data/table", "equals", "orders"))));
        send(ceTopic, "k", "{\"table\":\"orders\"}", "ce_id", "1"); // binary, not structured
        send(
                ceTopic,
                "k",
                "{\"specversion\":\"1.0\",\"type\":\"com.acme.export.finished\",\"data\":{}}",
                "content-type",
                "application/cloudevents+json"); // no id, no source
        send(
                ceTopic,
                "k",
                "{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"/acme\","
                        + "\"type\":\"com.acme.export.started\",\"data\":{\"table\":\"orders\"}}",
                "content-type",
                "application/cloudevents+json"); // valid, filtered out
        RecordMetadata exported =
                send(
                        ceTopic,
                        "k",
                        "{\"specversion\":\"1.0\",\"id\":\"e2\",\"source\":\"/acme\","
                                + "\"type\":\"com.acme.export.finished\",\"data\":{\"table\":\"orders\"}}",
                        "content-type",
                        "application/cloudevents+json; charset=utf-8");

        List<ReceivedEvent> toA = Api.exactly(infra, List.of(a), 1);
        assertThat(Api.data(toA.get(0)).trigger().detail()).isEqualTo(detail(good));
        List<ReceivedEvent> toB = Api.exactly(infra, List.of(b), 1);
        assertThat(Api.data(toB.get(0)).trigger().detail()).isEqualTo(detail(exported));

        List<ConsumerRecord<String, byte[]>> dead = deadLetters(jsonTopic, 1);
        assertThat(dead).hasSize(1);
        ConsumerRecord<String, byte[]> d = dead.get(0);
        assertThat(header(d, "dead-letter-reason")).contains("not JSON");
        assertThat(header(d, "dead-letter-partition"))
                .isEqualTo(String.valueOf(garbage.partition()));
        assertThat(header(d, "dead-letter-offset")).isEqualTo(String.valueOf(garbage.offset()));
        assertThat(header(d, "x-origin")).isEqualTo("partner"); // original headers kept
        assertThat(new String(d.value(), StandardCharsets.UTF_8)).isEqualTo("not json {");
        assertThat(d.key()).isEqualTo("k");

        List<ConsumerRecord<String, byte[]>> ceDead = deadLetters(ceTopic, 2);
        assertThat(ceDead).hasSize(2);
        assertThat(header(ceDead.get(0), "dead-letter-reason"))
                .contains("not a structured CloudEvent");
        assertThat(header(ceDead.get(1), "dead-letter-reason")).contains("missing ce_id");
    }

    @Test
    void definitionsAreValidated() {
        String c = Api.connection();
        Map<String, Object> ok =
                Map.of(
                        "id",
                        "kt-v-" + UUID.randomUUID(),
                        "topic",
                        "ext.v",
                        "connectionIds",
                        List.of(c));
        for (Map.Entry<String, String> bad :
                Map.of(
                                "topic", "has space",
                                "format", "avro",
                                "minInterval", "P2D",
                                "startFrom", "middle",
                                "groupSuffix", "a/b")
                        .entrySet()) {
            Map<String, Object> body = new HashMap<>(ok);
            body.put(bad.getKey(), bad.getValue());
            Api.admin()
                    .body(body)
                    .post("/api/kafka-triggers")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString(bad.getKey()));
        }
        Map<String, Object> loop = new HashMap<>(ok);
        loop.put("topic", Topics.SYNC_REQUESTS);
        Api.admin()
                .body(loop)
                .post("/api/kafka-triggers")
                .then()
                .statusCode(400)
                .body("detail", containsString("loop"));
        Map<String, Object> badFilter = new HashMap<>(ok);
        badFilter.put("filter", List.of(Map.of("pointer", "/a", "header", "h", "equals", "x")));
        Api.admin().body(badFilter).post("/api/kafka-triggers").then().statusCode(400);
        Map<String, Object> disabled = new HashMap<>(ok);
        disabled.put("enabled", false);
        Api.viewer().body(disabled).post("/api/kafka-triggers").then().statusCode(403);
        Api.admin().body(disabled).post("/api/kafka-triggers").then().statusCode(201);
        Api.admin().body(disabled).post("/api/kafka-triggers").then().statusCode(409);
        Api.viewer()
                .get("/api/kafka-triggers")
                .then()
                .statusCode(200)
                .body("id", hasItem(ok.get("id")))
                .body("id", hasItem("yaml-orders"));
        assertThat(triggers.running())
                .doesNotContain((String) ok.get("id"))
                .contains("yaml-orders");
    }
}
