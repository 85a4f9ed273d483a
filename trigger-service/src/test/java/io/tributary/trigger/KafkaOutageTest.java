package io.tributary.trigger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tributary.events.ReceivedEvent;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TributaryTestResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Never a 2xx for a request Kafka did not acknowledge; the sender's retry then succeeds once. */
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
}
