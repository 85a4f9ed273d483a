package io.tributary.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.EventIds;
import io.tributary.events.EventJson;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.notifier.subscription.ChannelType;
import io.tributary.notifier.subscription.LegacyFilters;
import io.tributary.notifier.subscription.Subscription;
import io.tributary.notifier.subscription.SubscriptionRepository;
import io.tributary.notifier.support.Api;
import io.tributary.notifier.support.Events;
import io.tributary.notifier.support.Receiver;
import io.tributary.notifier.support.Receiver.Reply;
import io.tributary.notifier.support.TestAddressResolver;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SSRF attempts are refused at save (API answers 400, nothing stored) and at send (a subscription
 * that got past the save check, by DNS rebinding or by being written directly, sends nothing).
 * "localhost" is on the test allow-list for the local receivers; these destinations are not.
 */
@QuarkusTest
class SsrfTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    @InjectInfrastructure Infrastructure infra;
    @Inject SubscriptionRepository store;
    static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        TestAddressResolver.MAP.put("internal.example.test", List.of("10.0.0.1"));
        TestAddressResolver.MAP.put("mixed.example.test", List.of("93.184.216.34", "10.0.0.1"));
        TestAddressResolver.MAP.put("v6.example.test", List.of("fd00::1"));
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void unsafeDestinationsAreRefusedAtSave() {
        String port = Integer.toString(receiver.port());
        List<String> urls =
                List.of(
                        "https://127.0.0.1:" + port + "/hook",
                        "https://[::1]:" + port + "/hook",
                        "https://169.254.169.254/latest/meta-data/",
                        "https://internal.example.test/hook",
                        "https://mixed.example.test/hook",
                        "https://v6.example.test/hook",
                        "https://[::ffff:127.0.0.1]/hook",
                        "https://metadata.google.internal/computeMetadata/v1/",
                        "http://127.0.0.1:" + port + "/hook",
                        "http://" + TestAddressResolver.PUBLIC_NAME + "/plain-http",
                        "ftp://" + TestAddressResolver.PUBLIC_NAME + "/x");
        for (String url : urls) {
            for (String channel : List.of("webhook", "slack", "teams")) {
                String name = "ssrf-" + UUID.randomUUID();
                Api.create(
                                Map.of(
                                        "name",
                                        name,
                                        "eventTypes",
                                        List.of("io.tributary.sync.failed"),
                                        "channel",
                                        channel,
                                        "settings",
                                        Map.of("url", url)))
                        .statusCode(400)
                        .body("detail", containsString("refused"));
                assertThat(store.findByName(name)).isEmpty();
            }
        }
        Api.create(
                        Map.of(
                                "name",
                                "ssrf-pd-" + UUID.randomUUID(),
                                "eventTypes",
                                List.of("io.tributary.sync.failed"),
                                "channel",
                                "pagerduty",
                                "settings",
                                Map.of(
                                        "routingKey", "abc123",
                                        "url", "https://169.254.169.254/v2/enqueue")))
                .statusCode(400);
        Api.create(
                        Map.of(
                                "name",
                                "ssrf-smtp-" + UUID.randomUUID(),
                                "eventTypes",
                                List.of("io.tributary.sync.failed"),
                                "channel",
                                "email",
                                "settings",
                                Map.of(
                                        "to", List.of("a@example.com"),
                                        "smtp", Map.of("host", "internal.example.test"))))
                .statusCode(400)
                .body("detail", containsString("refused"));
    }

    @Test
    void aNameThatResolvesElsewhereAtSendIsRefusedThen() {
        String connection = UUID.randomUUID().toString();
        String host = "rebind-" + connection.substring(0, 8) + ".example.test";
        TestAddressResolver.MAP.put(host, List.of("93.184.216.34"));
        String id =
                Api.subscribe(
                        "rebind-" + connection,
                        List.of("io.tributary.sync.failed"),
                        Map.of("connections", List.of(connection)),
                        "webhook",
                        Map.of("url", "https://" + host + "/hook"));
        TestAddressResolver.MAP.put(host, List.of("10.0.0.1")); // DNS rebinding
        try (Events events = new Events(infra.kafkaBootstrapServers())) {
            events.send(Events.syncFailed(connection, 1, "x"));
        }
        Map<String, Object> delivery = Api.finished(id);
        assertThat(delivery.get("status")).isEqualTo("failed");
        assertThat(delivery.get("attempts")).isEqualTo(1); // refused is final, never retried
        assertThat((String) delivery.get("lastError")).contains("refused").contains("10.0.0.1");
    }

    @Test
    void storedLoopbackAndMetadataDestinationsAreRefusedAtSend() {
        String connection = UUID.randomUUID().toString();
        String port = Integer.toString(receiver.port());
        List<String> urls =
                List.of(
                        "https://127.0.0.1:" + port + "/direct",
                        "http://127.0.0.1:" + port + "/direct",
                        "https://[::1]:" + port + "/direct",
                        "https://169.254.169.254/latest/meta-data/");
        List<String> ids = new java.util.ArrayList<>();
        for (String url : urls) {
            // Written around the API (an old row, a hand edit): the send check still holds.
            ObjectNode settings = EventJson.mapper().createObjectNode().put("url", url);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Subscription s =
                    new Subscription(
                            EventIds.random(),
                            "direct-" + UUID.randomUUID(),
                            List.of("io.tributary.sync.failed"),
                            new LegacyFilters(List.of(connection), List.of(), List.of()).toCel(),
                            ChannelType.SLACK,
                            settings,
                            true,
                            true,
                            null,
                            "api",
                            now,
                            now);
            QuarkusTransaction.requiringNew().run(() -> store.insert(s));
            ids.add(s.id());
        }
        try (Events events = new Events(infra.kafkaBootstrapServers())) {
            events.send(Events.syncFailed(connection, 1, "x"));
        }
        for (String id : ids) {
            Map<String, Object> delivery = Api.finished(id);
            assertThat(delivery.get("status")).isEqualTo("failed");
            assertThat((String) delivery.get("lastError")).contains("refused");
        }
        assertThat(receiver.requests("/direct")).isEmpty();
    }

    @Test
    void redirectsAreNotFollowed() {
        String connection = UUID.randomUUID().toString();
        String path = "/redirect/" + connection;
        String target = "/target/" + connection;
        receiver.script(path, new Reply(302, Map.of("Location", receiver.url(target)), ""));
        String id =
                Api.subscribe(
                        "redirect-" + connection,
                        List.of("io.tributary.sync.failed"),
                        Map.of("connections", List.of(connection)),
                        "webhook",
                        Map.of("url", receiver.url(path)));
        try (Events events = new Events(infra.kafkaBootstrapServers())) {
            events.send(Events.syncFailed(connection, 1, "x"));
        }
        Map<String, Object> delivery = Api.finished(id);
        assertThat(delivery.get("status")).isEqualTo("failed");
        assertThat(delivery.get("attempts")).isEqualTo(1);
        assertThat(delivery.get("lastStatusCode")).isEqualTo(302);
        assertThat((String) delivery.get("lastError")).contains("not followed");
        assertThat(receiver.requests(path)).hasSize(1);
        assertThat(receiver.requests(target)).isEmpty();
    }
}
