package io.tributary.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventIds;
import io.tributary.events.EventJson;
import io.tributary.events.EventType;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.Topics;
import io.tributary.events.TransformEvent;
import io.tributary.events.TransformStatus;
import io.tributary.events.TransformTrigger;
import io.tributary.events.TransformTriggerKind;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TopicReader;
import io.tributary.notifier.expectation.ExpectationJudge;
import io.tributary.notifier.support.Api;
import io.tributary.notifier.support.Events;
import io.tributary.notifier.support.Receiver;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Expectations judged on real Kafka and PostgreSQL with short promises (the test profile's minimum
 * is PT2S, its timer looks every 0.2 s): a connection that stops syncing raises one {@code missed}
 * and, at its next success, one {@code recovered}, both reaching a webhook and PagerDuty (which
 * resolves) through subscriptions; two replicas judging the same deadlines raise each miss once; a
 * timer that was down across several deadlines raises one miss, not one per deadline; a zero-row
 * sync after ten normal ones is a volume anomaly.
 */
@QuarkusTest
class ExpectationEvaluationTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String ROUTING_KEY = "R0UT1NGKEY0123456789abcdefABCDEF";

    @InjectInfrastructure Infrastructure infra;
    @Inject ExpectationJudge judge;
    @Inject Scheduler scheduler;
    static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void aConnectionThatStopsSyncingRaisesOneMissedAndOneRecoveredThatReachTheReceivers() {
        String connection = UUID.randomUUID().toString();
        String id =
                create(
                        "orders every 3s " + connection,
                        "connection",
                        connection,
                        Map.of("freshness", Map.of("every", "PT3S")));
        String only = "data.expectationId == '" + id + "'";
        subscribe(
                "hook-" + id,
                List.of("io.tributary.expectation.*"),
                only,
                "webhook",
                Map.of("url", receiver.url("/hook/" + id)));
        subscribe(
                "pd-" + id,
                List.of("io.tributary.expectation.missed"),
                only,
                "pagerduty",
                Map.of("routingKey", ROUTING_KEY, "url", receiver.url("/pd/" + id)));
        try (TopicReader reader = reader();
                Events events = new Events(infra.kafkaBootstrapServers())) {
            var kept = Events.syncSucceeded(connection, 1);
            events.send(kept);
            await().atMost(WAIT).until(() -> "kept".equals(status(id).path("state").asText()));

            // No sync for 3 s: one missed, and nothing more while it stays missed.
            List<ReceivedEvent> missed = raised(reader, id, EventType.EXPECTATION_MISSED, 1);
            JsonNode data = missed.get(0).data();
            assertThat(data.path("promise").asText()).isEqualTo("freshness");
            assertThat(data.path("every").asText()).isEqualTo("PT3S");
            assertThat(data.path("subjectId").asText()).isEqualTo(connection);
            assertThat(Instant.parse(data.path("lastKeptAt").asText()))
                    .isEqualTo(kept.finishedAt());
            assertThat(Instant.parse(data.path("deadline").asText()))
                    .isEqualTo(kept.finishedAt().plusSeconds(3));
            assertThat(Duration.parse(data.path("lateBy").asText()).isNegative()).isFalse();
            assertThat(data.path("message").asText())
                    .contains("connection " + connection)
                    .contains("succeeds at least every 3s");
            JsonNode stands = status(id);
            assertThat(stands.path("state").asText()).isEqualTo("missed");
            assertThat(stands.hasNonNull("missedAt")).isTrue();
            assertThat(stands.hasNonNull("nextDeadlineAt")).isFalse();

            // A late, old success (an outage's backlog) does not keep it: no recovered, no storm.
            events.send(
                    Events.syncSucceeded(
                            connection, 2, 10, kept.finishedAt().minus(1, ChronoUnit.HOURS)));
            assertThat(drain(reader, id)).hasSize(1);

            // The webhook and PagerDuty heard the miss.
            await().atMost(WAIT)
                    .until(
                            () ->
                                    receiver.requests("/hook/" + id).size() == 1
                                            && receiver.requests("/pd/" + id).size() == 1);
            JsonNode hook = EventJson.tree(receiver.requests("/hook/" + id).get(0).text());
            assertThat(hook.path("type").asText()).isEqualTo("io.tributary.expectation.missed");
            JsonNode pd = EventJson.tree(receiver.requests("/pd/" + id).get(0).text());
            assertThat(pd.path("event_action").asText()).isEqualTo("trigger");
            assertThat(pd.path("dedup_key").asText()).isEqualTo("tributary:expectation:" + id);
            assertThat(pd.path("payload").path("summary").asText()).contains(connection);

            // The next success: one recovered; PagerDuty resolves the same key.
            var again = Events.syncSucceeded(connection, 3);
            events.send(again);
            List<ReceivedEvent> recovered = raised(reader, id, EventType.EXPECTATION_RECOVERED, 1);
            assertThat(recovered.get(0).data().path("deadline").asText())
                    .isEqualTo(data.path("deadline").asText());
            assertThat(recovered.get(0).data().path("correlationId").asText())
                    .isEqualTo(again.correlationId());
            await().atMost(WAIT)
                    .until(
                            () ->
                                    receiver.requests("/hook/" + id).size() == 2
                                            && receiver.requests("/pd/" + id).size() == 2);
            JsonNode resolve = EventJson.tree(receiver.requests("/pd/" + id).get(1).text());
            assertThat(resolve.path("event_action").asText()).isEqualTo("resolve");
            assertThat(resolve.path("dedup_key").asText()).isEqualTo("tributary:expectation:" + id);
            assertThat(status(id).path("state").asText()).isEqualTo("kept");
        }
        JsonNode history = history(id);
        assertThat(history.size()).isEqualTo(2);
        assertThat(history.get(0).path("type").asText()).isEqualTo("recovered");
        assertThat(history.get(0).path("correlationId").asText()).isNotBlank();
        assertThat(history.get(1).path("type").asText()).isEqualTo("missed");
    }

    @Test
    void twoReplicasJudgingTheSameDeadlinesRaiseEachMissOnce() throws Exception {
        scheduler.pause(ExpectationJudge.IDENTITY);
        List<String> ids = new ArrayList<>();
        try (TopicReader reader = reader()) {
            for (int i = 0; i < 6; i++) {
                String connection = UUID.randomUUID().toString();
                ids.add(
                        create(
                                "replicas " + connection,
                                "connection",
                                connection,
                                Map.of("freshness", Map.of("every", "PT2S"))));
            }
            Instant due = Instant.now().plusSeconds(2);
            await().atMost(WAIT).until(() -> Instant.now().isAfter(due.plusMillis(200)));

            // Replica A claims the due expectations and holds them; replica B, judging at the
            // same time, skips the rows A holds; after A commits, nothing is due any more.
            CountDownLatch claimed = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> a =
                    CompletableFuture.supplyAsync(
                            () ->
                                    QuarkusTransaction.requiringNew()
                                            .call(
                                                    () -> {
                                                        int n = judge.judgeDue();
                                                        claimed.countDown();
                                                        release.await(30, TimeUnit.SECONDS);
                                                        return n;
                                                    }));
            assertThat(claimed.await(30, TimeUnit.SECONDS)).isTrue();
            int b = QuarkusTransaction.requiringNew().call(judge::judgeDue);
            release.countDown();
            assertThat(a.get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(ids.size());
            assertThat(b).isZero();
            assertThat(QuarkusTransaction.requiringNew().call(judge::judgeDue)).isZero();

            for (String id : ids) {
                assertThat(raised(reader, id, EventType.EXPECTATION_MISSED, 1)).hasSize(1);
            }
            for (String id : ids) {
                assertThat(drain(reader, id)).hasSize(1);
                assertThat(history(id).size()).isEqualTo(1);
            }
        } finally {
            scheduler.resume(ExpectationJudge.IDENTITY);
        }
    }

    @Test
    void aTimerDownAcrossSeveralDeadlinesRaisesOneMissWhenItComesBack() {
        String transform = "marts_" + UUID.randomUUID().toString().substring(0, 8);
        scheduler.pause(ExpectationJudge.IDENTITY); // as if every replica were down
        String id;
        try (TopicReader reader = reader();
                Events events = new Events(infra.kafkaBootstrapServers())) {
            try {
                id =
                        create(
                                "marts every 2s " + transform,
                                "transform",
                                transform,
                                Map.of("deadline", Map.of("cron", "*/2 * * * * *")));
                Instant first = Instant.parse(status(id).path("nextDeadlineAt").asText());
                // Three deadlines pass with no timer running.
                await().atMost(WAIT).until(() -> Instant.now().isAfter(first.plusSeconds(5)));
                assertThat(drain(reader, id)).isEmpty();
            } finally {
                scheduler.resume(ExpectationJudge.IDENTITY);
            }
            List<ReceivedEvent> missed = raised(reader, id, EventType.EXPECTATION_MISSED, 1);
            assertThat(missed.get(0).data().path("lastKeptAt").isMissingNode()).isTrue();
            assertThat(drain(reader, id)).hasSize(1);
            Instant first = Instant.parse(history(id).get(0).path("deadline").asText());
            assertThat(Instant.parse(status(id).path("nextDeadlineAt").asText()))
                    .isAfter(first.plusSeconds(5)); // the deadlines it slept through are skipped

            // Kept again by the transform's next success.
            events.send(transformSucceeded(transform));
            assertThat(raised(reader, id, EventType.EXPECTATION_RECOVERED, 1)).hasSize(1);
        }
    }

    @Test
    void aZeroRowSyncAfterTenNormalOnesIsAVolumeAnomaly() {
        String connection = UUID.randomUUID().toString();
        String id =
                create(
                        "orders volume " + connection,
                        "connection",
                        connection,
                        Map.of("volume", Map.of()));
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        try (TopicReader reader = reader();
                Events events = new Events(infra.kafkaBootstrapServers())) {
            for (int job = 1; job <= 10; job++) {
                events.send(
                        Events.syncSucceeded(connection, job, 1000 + job, start.plusSeconds(job)));
            }
            await().atMost(WAIT).until(() -> "kept".equals(status(id).path("state").asText()));
            assertThat(drain(reader, id)).isEmpty();

            events.send(Events.syncSucceeded(connection, 11, 0, start.plusSeconds(11)));
            JsonNode anomaly = raised(reader, id, EventType.EXPECTATION_MISSED, 1).get(0).data();
            assertThat(anomaly.path("rowsSynced").asLong()).isZero();
            assertThat(anomaly.path("medianRows").asLong()).isEqualTo(1005);
            assertThat(anomaly.path("threshold").asLong()).isEqualTo(101);
            assertThat(anomaly.path("jobId").asLong()).isEqualTo(11);
            assertThat(anomaly.path("message").asText()).contains("synced 0 rows");

            events.send(Events.syncSucceeded(connection, 12, 990, start.plusSeconds(12)));
            JsonNode back = raised(reader, id, EventType.EXPECTATION_RECOVERED, 1).get(0).data();
            assertThat(back.path("rowsSynced").asLong()).isEqualTo(990);
            assertThat(drain(reader, id)).hasSize(2);
        }
    }

    private static String create(
            String name, String kind, String subject, Map<String, Object> promise) {
        Map<String, Object> body = new HashMap<>(promise);
        body.put("name", name);
        body.put("subject", Map.of("kind", kind, "id", subject));
        return Api.admin()
                .body(body)
                .post("/api/expectations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static void subscribe(
            String name,
            List<String> types,
            String filter,
            String channel,
            Map<String, Object> settings) {
        Api.create(
                        Map.of(
                                "name",
                                name,
                                "eventTypes",
                                types,
                                "filter",
                                filter,
                                "channel",
                                channel,
                                "settings",
                                settings))
                .statusCode(201);
    }

    private static JsonNode status(String id) {
        return EventJson.tree(
                Api.reader()
                        .get("/api/expectations/" + id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString());
    }

    private static JsonNode history(String id) {
        return EventJson.tree(
                Api.reader()
                        .get("/api/expectations/" + id + "/history")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString());
    }

    private TopicReader reader() {
        return new TopicReader(infra.kafkaBootstrapServers(), Topics.EXPECTATION_EVENTS);
    }

    private static List<ReceivedEvent> raised(
            TopicReader reader, String id, EventType type, int count) {
        Predicate<ConsumerRecord<String, byte[]>> match =
                r -> id.equals(r.key()) && type.type().equals(header(r, CloudEventKafka.CE_TYPE));
        List<ConsumerRecord<String, byte[]>> records = reader.await(match, count, WAIT);
        assertThat(records).hasSize(count);
        return records.stream()
                .map(r -> CloudEventKafka.readValidated(r).toOptional().orElseThrow())
                .toList();
    }

    /** Every event about the expectation seen within two more seconds. */
    private static List<ConsumerRecord<String, byte[]>> drain(TopicReader reader, String id) {
        return reader.drain(r -> id.equals(r.key()), Duration.ofSeconds(2));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null
                ? null
                : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static TransformEvent transformSucceeded(String name) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new TransformEvent(
                name,
                EventIds.random(),
                TransformStatus.SUCCEEDED,
                "build",
                null,
                "prod",
                new TransformTrigger(TransformTriggerKind.MANUAL, List.of(), List.of()),
                now.minusSeconds(3),
                now,
                Duration.ofSeconds(3),
                0,
                new TransformEvent.Summary(3, 0, 0, 0, 0, 0),
                List.of(),
                null,
                null);
    }
}
