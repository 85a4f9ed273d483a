package io.tributary.notifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import io.tributary.events.NotificationEvent;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.Topics;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TopicReader;
import io.tributary.notifier.support.Api;
import io.tributary.notifier.support.Events;
import io.tributary.notifier.support.Receiver;
import io.tributary.notifier.support.Receiver.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retries, Retry-After, final statuses, 410 and resends against a real receiver with scripted
 * answers.
 */
@QuarkusTest
class DeliveryRetryTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    @InjectInfrastructure Infrastructure infra;
    static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    /** A webhook subscription for a fresh connection; returns [subscriptionId, connection]. */
    private String[] webhook(String path) {
        String connection = UUID.randomUUID().toString();
        String id =
                Api.subscribe(
                        "retry-" + connection,
                        List.of("io.tributary.sync.failed"),
                        Map.of("connections", List.of(connection)),
                        "webhook",
                        Map.of("url", receiver.url(path)));
        return new String[] {id, connection};
    }

    /** Publishes a sync failure of the connection; returns its correlation id. */
    private String fail(String connection) {
        var failure = Events.syncFailed(connection, 7, "boom");
        try (Events events = new Events(infra.kafkaBootstrapServers())) {
            events.send(failure);
        }
        return failure.correlationId();
    }

    /** The one outcome event of a subscription's delivery on the notification topic. */
    private ReceivedEvent outcome(String subscriptionId) {
        try (TopicReader reader =
                new TopicReader(infra.kafkaBootstrapServers(), Topics.NOTIFICATION_EVENTS)) {
            var records = reader.await(r -> subscriptionId.equals(r.key()), 1, WAIT);
            assertThat(records).hasSize(1);
            return CloudEventKafka.readValidated(records.get(0)).toOptional().orElseThrow();
        }
    }

    @Test
    void twoServerErrorsThenSuccessIsDeliveredOnce() {
        String path = "/retry/" + UUID.randomUUID();
        receiver.script(path, Reply.of(500), Reply.of(500));
        String[] sub = webhook(path);
        fail(sub[1]);
        Map<String, Object> delivery = Api.finished(sub[0]);
        assertThat(delivery.get("status")).isEqualTo("delivered");
        assertThat(delivery.get("attempts")).isEqualTo(3);
        assertThat(delivery.get("lastStatusCode")).isEqualTo(200);
        List<Receiver.Request> requests = receiver.requests(path);
        assertThat(requests).hasSize(3);
        // The same message each time: one webhook-id, one body.
        assertThat(requests)
                .extracting(r -> r.header("webhook-id"))
                .containsOnly((String) delivery.get("id"));
        assertThat(requests)
                .extracting(Receiver.Request::text)
                .containsOnly(requests.get(0).text());
        ReceivedEvent event = outcome(sub[0]);
        assertThat(event.is(EventType.NOTIFICATION_DELIVERED)).isTrue();
        assertThat(event.data(NotificationEvent.class).attempts()).isEqualTo(3);
    }

    @Test
    void retryAfterOf429IsHonoured() {
        String path = "/throttled/" + UUID.randomUUID();
        receiver.script(path, new Reply(429, Map.of("Retry-After", "3"), "slow down"));
        String[] sub = webhook(path);
        fail(sub[1]);
        Map<String, Object> delivery = Api.finished(sub[0]);
        assertThat(delivery.get("status")).isEqualTo("delivered");
        List<Receiver.Request> requests = receiver.requests(path);
        assertThat(requests).hasSize(2);
        long gap = requests.get(1).receivedAtMillis() - requests.get(0).receivedAtMillis();
        // The backoff alone would be 0.1-0.2 s; Retry-After asked for 3 s.
        assertThat(gap).isGreaterThanOrEqualTo(2900);
    }

    @Test
    void goneDisablesTheSubscriptionAndPublishesTheFailure() {
        String path = "/gone/" + UUID.randomUUID();
        receiver.script(path, Reply.of(410));
        String[] sub = webhook(path);
        fail(sub[1]);
        Map<String, Object> delivery = Api.finished(sub[0]);
        assertThat(delivery.get("status")).isEqualTo("failed");
        assertThat(delivery.get("attempts")).isEqualTo(1);
        Api.admin()
                .get("/api/subscriptions/" + sub[0])
                .then()
                .statusCode(200)
                .body("enabled", org.hamcrest.Matchers.equalTo(false))
                .body("disabledReason", org.hamcrest.Matchers.containsString("410"));
        assertThat(outcome(sub[0]).is(EventType.NOTIFICATION_FAILED)).isTrue();
        // Disabled: the next event creates nothing and nothing is sent.
        fail(sub[1]);
        try (TopicReader reader =
                new TopicReader(infra.kafkaBootstrapServers(), Topics.NOTIFICATION_EVENTS)) {
            assertThat(reader.drain(r -> sub[0].equals(r.key()), Duration.ofSeconds(4))).hasSize(1);
        }
        assertThat(Api.deliveries(sub[0])).hasSize(1);
        assertThat(receiver.requests(path)).hasSize(1);
        // Resending into a disabled subscription would only fail again: 409, nothing changes.
        resend((String) delivery.get("id"))
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("the subscription is disabled"));
        assertThat(Api.delivery((String) delivery.get("id")))
                .containsEntry("status", "failed")
                .containsEntry("resends", 0);
    }

    @Test
    void otherClientErrorsAreFinalButRequestTimeoutIsRetried() {
        String badRequest = "/bad/" + UUID.randomUUID();
        receiver.script(badRequest, Reply.of(400));
        String[] first = webhook(badRequest);
        fail(first[1]);
        Map<String, Object> failed = Api.finished(first[0]);
        assertThat(failed.get("status")).isEqualTo("failed");
        assertThat(failed.get("attempts")).isEqualTo(1);
        assertThat(failed.get("lastStatusCode")).isEqualTo(400);

        String timeout = "/408/" + UUID.randomUUID();
        receiver.script(timeout, Reply.of(408));
        String[] second = webhook(timeout);
        fail(second[1]);
        Map<String, Object> delivered = Api.finished(second[0]);
        assertThat(delivered.get("status")).isEqualTo("delivered");
        assertThat(delivered.get("attempts")).isEqualTo(2);
    }

    @Test
    void pastTheMaximumAttemptsTheDeliveryFails() {
        String path = "/down/" + UUID.randomUUID();
        receiver.script(
                path, Reply.of(503), Reply.of(503), Reply.of(503), Reply.of(503), Reply.of(503));
        String[] sub = webhook(path);
        String correlationId = fail(sub[1]);
        Map<String, Object> delivery = Api.finished(sub[0]);
        assertThat(delivery.get("status")).isEqualTo("failed");
        assertThat(delivery.get("attempts")).isEqualTo(4); // max-attempts in the test profile
        assertThat((String) delivery.get("lastError")).contains("gave up after 4 attempts");
        assertThat(delivery.get("correlationId")).isEqualTo(correlationId);
        ReceivedEvent event = outcome(sub[0]);
        assertThat(event.is(EventType.NOTIFICATION_FAILED)).isTrue();
        assertThat(event.data(NotificationEvent.class).attempts()).isEqualTo(4);
        assertThat(event.data(NotificationEvent.class).correlationId()).isEqualTo(correlationId);
    }

    /** POST /api/deliveries/{id}/resend as the console sends it: no body, no content type. */
    private static ValidatableResponse resend(String deliveryId) {
        return given().auth()
                .oauth2(Api.WRITE)
                .post("/api/deliveries/" + deliveryId + "/resend")
                .then();
    }

    @Test
    void aFailedDeliveryResentAfterTheReceiverIsFixedIsDeliveredOnce() throws Exception {
        String path = "/resend/" + UUID.randomUUID();
        receiver.script(path, Reply.of(500), Reply.of(500), Reply.of(500), Reply.of(500));
        String[] sub = webhook(path);
        String correlationId = fail(sub[1]);
        Map<String, Object> failed = Api.finished(sub[0]);
        String id = (String) failed.get("id");
        assertThat(failed).containsEntry("status", "failed").containsEntry("attempts", 4);
        assertThat(outcome(sub[0]).is(EventType.NOTIFICATION_FAILED)).isTrue();

        given().auth()
                .oauth2(Api.READ)
                .post("/api/deliveries/" + id + "/resend")
                .then()
                .statusCode(403);
        resend("no-such-delivery").statusCode(404).contentType("application/problem+json");
        assertThat(Api.delivery(id)).containsEntry("status", "failed").containsEntry("resends", 0);

        // The receiver is fixed (its script is used up: 200 from now on). A double click: two
        // resends at once, both 202, one new round.
        ExecutorService clicks = Executors.newFixedThreadPool(2);
        Callable<Map<String, Object>> click =
                () -> resend(id).statusCode(202).extract().as(Map.class);
        List<Future<Map<String, Object>>> answers = clicks.invokeAll(List.of(click, click));
        clicks.shutdown();
        for (Future<Map<String, Object>> answer : answers) {
            assertThat(answer.get())
                    .containsEntry("id", id)
                    .containsEntry("status", "pending")
                    .containsEntry("resends", 1);
        }

        Map<String, Object> delivered = Api.finished(sub[0]);
        assertThat(delivered)
                .containsEntry("id", id)
                .containsEntry("status", "delivered")
                .containsEntry("attempts", 1)
                .containsEntry("resends", 1)
                .containsEntry("lastStatusCode", 200);
        // Four failed attempts and the resent one: the same message, the same webhook-id.
        List<Receiver.Request> requests = receiver.requests(path);
        assertThat(requests).hasSize(5);
        assertThat(requests).extracting(r -> r.header("webhook-id")).containsOnly(id);
        assertThat(requests)
                .extracting(Receiver.Request::text)
                .containsOnly(requests.get(0).text());

        // Its outcomes: the failure, then exactly one delivered, a new event (its own ce_id).
        List<ReceivedEvent> outcomes;
        try (TopicReader reader =
                new TopicReader(infra.kafkaBootstrapServers(), Topics.NOTIFICATION_EVENTS)) {
            reader.await(r -> sub[0].equals(r.key()), 2, WAIT);
            outcomes =
                    reader.drain(r -> sub[0].equals(r.key()), Duration.ofSeconds(3)).stream()
                            .map(r -> CloudEventKafka.readValidated(r).toOptional().orElseThrow())
                            .toList();
        }
        assertThat(outcomes).hasSize(2);
        assertThat(outcomes.get(0).is(EventType.NOTIFICATION_FAILED)).isTrue();
        ReceivedEvent event = outcomes.get(1);
        assertThat(event.is(EventType.NOTIFICATION_DELIVERED)).isTrue();
        assertThat(event.id()).isNotEqualTo(outcomes.get(0).id());
        NotificationEvent data = event.data(NotificationEvent.class);
        assertThat(data.deliveryId()).isEqualTo(id);
        assertThat(data.attempts()).isEqualTo(1);
        assertThat(data.correlationId()).isEqualTo(correlationId);

        resend(id)
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", equalTo("already delivered"));
        assertThat(Api.delivery(id))
                .containsEntry("status", "delivered")
                .containsEntry("resends", 1);
    }

    @Test
    void resendingAPendingDeliveryChangesNothing() {
        String path = "/pending/" + UUID.randomUUID();
        // Asked to come back in a minute: the delivery stays pending meanwhile.
        receiver.script(path, new Reply(429, Map.of("Retry-After", "60"), "later"));
        String[] sub = webhook(path);
        fail(sub[1]);
        Awaitility.await()
                .atMost(WAIT)
                .until(
                        () ->
                                Api.deliveries(sub[0]).stream()
                                        .anyMatch(d -> d.get("attempts").equals(1)));
        Map<String, Object> before = Api.deliveries(sub[0]).get(0);
        assertThat(before).containsEntry("status", "pending").containsEntry("resends", 0);
        String id = (String) before.get("id");
        for (int click = 0; click < 2; click++) {
            assertThat(resend(id).statusCode(202).extract().as(Map.class)).isEqualTo(before);
        }
        assertThat(Api.delivery(id)).isEqualTo(before);
        assertThat(receiver.requests(path)).hasSize(1);
        Api.admin().delete("/api/subscriptions/" + sub[0]).then().statusCode(204);
    }
}
