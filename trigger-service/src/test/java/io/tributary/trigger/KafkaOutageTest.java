package io.tributary.trigger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tributary.events.ReceivedEvent;
import io.tributary.local.FrozenDatabase;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TributaryTestResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Never a 2xx for a request Kafka did not acknowledge or the database did not store, and a bounded
 * answer when either hangs; the sender's retry then succeeds once.
 */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "trigger-service"),
        scope = TestResourceScope.GLOBAL)
class KafkaOutageTest {
    static final String SECRET =
            "whsec_"
                    + java.util.Base64.getEncoder()
                            .encodeToString("outage-secret-0123456789abcdefgh".getBytes());

    @InjectInfrastructure Infrastructure infra;

    Response send(String hookId, String delivery, String body) {
        long now = Signing.now();
        return given().contentType(ContentType.JSON)
                .header("webhook-id", delivery)
                .header("webhook-timestamp", Long.toString(now))
                .header("webhook-signature", Signing.standard(SECRET, delivery, now, body))
                .body(body)
                .post("/webhooks/" + hookId);
    }

    @Test
    void kafkaDownIs503AndTheRetryAfterwardsSucceedsOnce() {
        String conn = Api.connection();
        String hookId = "outage-" + UUID.randomUUID();
        Api.admin()
                .body(
                        Map.of(
                                "id",
                                hookId,
                                "scheme",
                                "standard-webhooks",
                                "secrets",
                                List.of(SECRET),
                                "connectionIds",
                                List.of(conn)))
                .post("/api/hooks")
                .then()
                .statusCode(201);
        String body = "{\"n\":1}";
        // Kafka works: warm the producer up so that its metadata is current.
        send(hookId, "msg_warm", body).then().statusCode(202);

        infra.stopKafka();
        try {
            send(hookId, "msg_outage", body)
                    .then()
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .body("status", equalTo(503));
        } finally {
            infra.startKafka();
        }

        // The sender retries until it gets a 2xx; exactly one retry is accepted (202).
        AtomicReference<Response> accepted = new AtomicReference<>();
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            Response r = send(hookId, "msg_outage", body);
                            if (r.statusCode() == 202 || r.statusCode() == 200) {
                                accepted.set(r);
                                return true;
                            }
                            assertThat(r.statusCode()).isEqualTo(503);
                            return false;
                        });
        // The first call was answered 503, so the retry that sees the request out is the first 2xx.
        assertThat(accepted.get().statusCode()).isEqualTo(202);
        assertThat(accepted.get().jsonPath().getBoolean("duplicate")).isFalse();
        List<String> ids = accepted.get().jsonPath().getList("requestIds", String.class);
        send(hookId, "msg_outage", body)
                .then()
                .statusCode(200)
                .body("duplicate", equalTo(true))
                .body("requestIds", equalTo(ids));

        // One request for the delivery on the topic: one ce_id (a record the producer might still
        // have delivered late would carry the same ce_id, which consumers drop).
        List<ReceivedEvent> events = Api.exactly(infra, List.of(conn), 2);
        assertThat(events.stream().map(ReceivedEvent::id).distinct()).hasSize(2);
        assertThat(events).extracting(ReceivedEvent::id).contains(ids.get(0));
        assertThat(events)
                .extracting(e -> Api.data(e).trigger().detail())
                .containsOnly("msg_warm", "msg_outage");
    }

    /**
     * PostgreSQL frozen (SIGSTOP): a webhook, for a hook read before and for one never read, and a
     * sync request through the API are answered 503 with Retry-After within the publish timeout + 2
     * s (5 s here); after the thaw the sender's retry is answered 202 once and one request per
     * delivery reaches the topic, whether or not the frozen call's insert went through.
     */
    @Test
    void frozenDatabaseIs503WithinTheBoundAndTheRetryAfterwardsSucceedsOnce() {
        String conn = Api.connection();
        String warm = createHook(conn);
        String cold = createHook(conn);
        String body = "{\"n\":2}";
        send(warm, "msg_before_freeze", body).then().statusCode(202);

        RestAssuredConfig bound =
                RestAssuredConfig.config()
                        .httpClient(
                                HttpClientConfig.httpClientConfig()
                                        .setParam("http.socket.timeout", 7_000));
        Config config = ConfigProvider.getConfig();
        try (FrozenDatabase frozen =
                FrozenDatabase.freeze(
                        config.getValue("quarkus.datasource.jdbc.url", String.class),
                        config.getValue("quarkus.datasource.username", String.class),
                        config.getValue("quarkus.datasource.password", String.class))) {
            for (String hookId : List.of(warm, cold)) {
                sendWith(bound, hookId, "msg_frozen", body)
                        .then()
                        .statusCode(503)
                        .header("Retry-After", "5")
                        .contentType("application/problem+json");
            }
            Api.admin()
                    .config(bound)
                    .body(Map.of("connectionIds", List.of(conn)))
                    .post("/api/syncs")
                    .then()
                    .statusCode(503)
                    .header("Retry-After", "5");
        }

        AtomicReference<Response> accepted = new AtomicReference<>();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            Response r = send(warm, "msg_frozen", body);
                            if (r.statusCode() == 503) {
                                return false;
                            }
                            accepted.set(r);
                            return true;
                        });
        assertThat(accepted.get().statusCode()).isEqualTo(202);
        send(warm, "msg_frozen", body).then().statusCode(200).body("duplicate", equalTo(true));
        List<ReceivedEvent> events = Api.exactly(infra, List.of(conn), 2);
        assertThat(events)
                .extracting(e -> Api.data(e).trigger().detail())
                .containsExactlyInAnyOrder("msg_before_freeze", "msg_frozen");
    }

    private static String createHook(String conn) {
        String hookId = "frozen-" + UUID.randomUUID();
        Api.admin()
                .body(
                        Map.of(
                                "id",
                                hookId,
                                "scheme",
                                "standard-webhooks",
                                "secrets",
                                List.of(SECRET),
                                "connectionIds",
                                List.of(conn)))
                .post("/api/hooks")
                .then()
                .statusCode(201);
        return hookId;
    }

    Response sendWith(RestAssuredConfig config, String hookId, String delivery, String body) {
        long now = Signing.now();
        return given().config(config)
                .contentType(ContentType.JSON)
                .header("webhook-id", delivery)
                .header("webhook-timestamp", Long.toString(now))
                .header("webhook-signature", Signing.standard(SECRET, delivery, now, body))
                .body(body)
                .post("/webhooks/" + hookId);
    }
}
