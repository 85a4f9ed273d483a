package io.tributary.trigger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

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
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One delivery → one event; a refused call of any kind → a 4xx problem and no event. */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "trigger-service"),
        scope = TestResourceScope.GLOBAL)
class DeliverySemanticsTest {
    static final String SECRET = "hmac-dedupe-secret-0123456789ab";

    @InjectInfrastructure Infrastructure infra;

    static String hook(String... connections) {
        return filtered(
                List.of(Map.of("pointer", "/action", "in", List.of("push", "merge"))), connections);
    }

    /** An hmac-sha256 hook with a delivery id header and this filter (old form or CEL). */
    static String filtered(Object filter, String... connections) {
        String id = "dedupe-" + UUID.randomUUID();
        Api.admin()
                .body(
                        Map.of(
                                "id",
                                id,
                                "scheme",
                                "hmac-sha256",
                                "secrets",
                                List.of(SECRET),
                                "deliveryIdHeader",
                                "X-Delivery",
                                "connectionIds",
                                List.of(connections),
                                "filter",
                                filter))
                .post("/api/hooks")
                .then()
                .statusCode(201);
        return id;
    }

    static Response send(String hookId, String delivery, String body) {
        return send(hookId, delivery, body, "push");
    }

    static Response send(String hookId, String delivery, String body, String event) {
        return given().contentType(ContentType.JSON)
                .header("X-Signature", Signing.hex(SECRET, body))
                .header("X-Delivery", delivery)
                .header("X-Event", event)
                .body(body)
                .post("/webhooks/" + hookId);
    }

    @Test
    void theSameDeliveryTenTimesConcurrentlyIsOneEventPerConnection() throws Exception {
        String a = Api.connection();
        String b = Api.connection();
        String hookId = hook(a, b);
        String body = "{\"action\":\"push\"}";
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(() -> send(hookId, "same-delivery", body));
        }
        List<Response> answers = new ArrayList<>();
        for (Future<Response> f : pool.invokeAll(calls)) {
            answers.add(f.get());
        }
        pool.shutdown();
        assertThat(answers).extracting(Response::statusCode).containsOnly(200, 202);
        assertThat(answers).filteredOn(r -> r.statusCode() == 202).hasSize(1);
        List<String> ids = answers.get(0).jsonPath().getList("requestIds", String.class);
        assertThat(ids).hasSize(2);
        for (Response r : answers) {
            assertThat(r.jsonPath().getList("requestIds", String.class)).isEqualTo(ids);
        }
        List<ReceivedEvent> events = Api.exactly(infra, List.of(a, b), 2);
        assertThat(events).extracting(ReceivedEvent::id).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void filterMismatchIs204AndNothing() {
        String c = Api.connection();
        String hookId = hook(c);
        send(hookId, "f-1", "{\"action\":\"closed\"}").then().statusCode(204);
        send(hookId, "f-2", "{\"other\":1}").then().statusCode(204);
        send(hookId, "f-3", "[1,2]").then().statusCode(204);
        assertThat(Api.exactly(infra, List.of(c), 0)).isEmpty();
    }

    @Test
    void aCelFilterSeesTheBodyAndTheHeaders() {
        String c = Api.connection();
        String filter = "data.commits.exists(x, x.files > 1) && headers['x-event'] == 'push'";
        String hookId = filtered(filter, c);
        Api.viewer().get("/api/hooks/" + hookId).then().body("filter", equalTo(filter));
        String body = "{\"commits\":[{\"files\":1},{\"files\":3}]}";
        send(hookId, "cel-1", body, "push").then().statusCode(202);
        send(hookId, "cel-2", body, "pull_request").then().statusCode(204);
        send(hookId, "cel-3", "{\"commits\":[{\"files\":1}]}", "push").then().statusCode(204);
        assertThat(Api.exactly(infra, List.of(c), 1))
                .extracting(e -> Api.data(e).trigger().detail())
                .containsExactly("cel-1");
    }

    @Test
    void hostileInputIsA4xxProblemAndNothing() {
        String c = Api.connection();
        String hookId = hook(c);
        String ok = "{\"action\":\"push\"}";
        // Over 1 MiB with a Content-Length: refused before the body is read.
        byte[] huge = new byte[1024 * 1024 + 1];
        Arrays.fill(huge, (byte) ' ');
        problem(
                given().contentType(ContentType.JSON)
                        .header("X-Signature", Signing.hex(SECRET, ok))
                        .header("X-Delivery", "big-1")
                        .body(huge)
                        .post("/webhooks/" + hookId),
                413);
        // Over 1 MiB streamed without a length (chunked).
        problem(
                given().contentType(ContentType.JSON)
                        .header("X-Signature", "00")
                        .header("X-Delivery", "big-2")
                        .body(new ByteArrayInputStream(huge))
                        .post("/webhooks/" + hookId),
                413);
        // Signed but not JSON.
        problem(send(hookId, "bad-json", "{\"action\":"), 400);
        // Unknown hook, odd hook ids.
        problem(send("no-such-hook", "x", ok), 404);
        problem(send("..%2F..%2Fetc", "x", ok), 404);
        problem(send("a".repeat(300), "x", ok), 404);
        // No or bad signature.
        problem(
                given().contentType(ContentType.JSON)
                        .header("X-Delivery", "nosig")
                        .body(ok)
                        .post("/webhooks/" + hookId),
                401);
        // Odd delivery ids: too long, path-like, with spaces or quotes.
        problem(send(hookId, "d".repeat(201), ok), 400);
        problem(send(hookId, "../../etc/passwd", ok), 400);
        problem(send(hookId, "a b", ok), 400);
        problem(send(hookId, "x\"'<script>", ok), 400);
        // Header injection: an encoded CR/LF stays text, is refused, and never reaches a header.
        Response injected = send(hookId, "abc%0d%0aSet-Cookie:%20x=1", ok);
        problem(injected, 400);
        assertThat(injected.getHeader("Set-Cookie")).isNull();
        // The detail never echoes the secret.
        send(hookId, "bad-json-2", "nope").then().body(not(containsString(SECRET)));
        assertThat(Api.exactly(infra, List.of(c), 0)).isEmpty();
    }

    static void problem(Response r, int status) {
        r.then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status));
    }
}
