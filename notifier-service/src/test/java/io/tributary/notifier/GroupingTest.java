package io.tributary.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.EventJson;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.notifier.support.Api;
import io.tributary.notifier.support.Events;
import io.tributary.notifier.support.Receiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Alertmanager-style grouping, repeat suppression and recovery (window 2 s in tests). */
@QuarkusTest
class GroupingTest {
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

    private String slack(String connection, String path) {
        return Api.subscribe(
                "group-" + connection,
                List.of("io.tributary.sync.failed"),
                Map.of("connections", List.of(connection)),
                "slack",
                Map.of("url", receiver.url(path)));
    }

    @Test
    void tenIdenticalFailuresBecomeOneMessageAndTheRecoveryArrivesOnce() throws Exception {
        String connection = UUID.randomUUID().toString();
        String path = "/slack/" + connection;
        String subscription = slack(connection, path);
        try (Events events = new Events(infra.kafkaBootstrapServers())) {
            for (int i = 0; i < 10; i++) {
                events.send(Events.syncFailed(connection, 100 + i, "disk full"));
            }
            await().atMost(WAIT).until(() -> receiver.requests(path).size() == 1);
            // Two more windows: nothing else comes.
            await().during(Duration.ofSeconds(4))
                    .atMost(Duration.ofSeconds(6))
                    .until(() -> receiver.requests(path).size() == 1);
            String text = EventJson.tree(receiver.requests(path).get(0).body()).toString();
            assertThat(text).contains("disk full").contains("10 events");
            var deliveries = Api.deliveries(subscription);
            assertThat(deliveries).hasSize(1);
            assertThat(deliveries.get(0).get("eventCount")).isEqualTo(10);

            for (int i = 0; i < 3; i++) {
                events.send(Events.syncSucceeded(connection, 200 + i));
            }
            await().atMost(WAIT).until(() -> receiver.requests(path).size() == 2);
            await().during(Duration.ofSeconds(4))
                    .atMost(Duration.ofSeconds(6))
                    .until(() -> receiver.requests(path).size() == 2);
            assertThat(EventJson.tree(receiver.requests(path).get(1).body()).path("text").asText())
                    .contains("Recovered");
        }
        String metrics = io.restassured.RestAssured.get("/q/metrics").then().extract().asString();
        assertThat(metrics)
                .contains("tributary_notifier_events_grouped_total{channel=\"slack\"")
                .contains(
                        "tributary_notifier_attempts_total{channel=\"slack\",result=\"delivered\"")
                .contains(
                        "tributary_notifier_deliveries_total{channel=\"slack\",status=\"delivered\"");
    }

    @Test
    void anUnchangedFailureIsNotRepeatedWithinTheIntervalButAChangedOneIs() throws Exception {
        String connection = UUID.randomUUID().toString();
        String path = "/slack/" + connection;
        slack(connection, path);
        try (Events events = new Events(infra.kafkaBootstrapServers())) {
            events.send(Events.syncFailed(connection, 1, "quota exceeded"));
            await().atMost(WAIT).until(() -> receiver.requests(path).size() == 1);
            // The same failure again, after the window: the state did not change (repeat 4 h).
            events.send(Events.syncFailed(connection, 2, "quota exceeded"));
            await().during(Duration.ofSeconds(4))
                    .atMost(Duration.ofSeconds(6))
                    .until(() -> receiver.requests(path).size() == 1);
            // A different failure is news.
            events.send(Events.syncFailed(connection, 3, "schema changed: column dropped"));
            await().atMost(WAIT).until(() -> receiver.requests(path).size() == 2);
            assertThat(EventJson.tree(receiver.requests(path).get(1).body()).toString())
                    .contains("schema changed");
        }
    }
}
