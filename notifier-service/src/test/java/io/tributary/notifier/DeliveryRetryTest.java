package io.tributary.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Retries, Retry-After, final statuses and 410 against a real receiver with scripted answers. */
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
}
