package io.tributary.trigger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.tributary.events.JobType;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncRequested;
import io.tributary.events.TriggerKind;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TributaryTestResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Each signature scheme end to end: valid, tampered body, old timestamp, wrong secret, rotated
 * secret; only the accepted deliveries reach the topic, with the contract's fields.
 */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "trigger-service"),
        scope = TestResourceScope.GLOBAL)
class WebhookTest {
    @InjectInfrastructure Infrastructure infra;

    static void createHook(Map<String, Object> hook) {
        Api.admin().body(hook).post("/api/hooks").then().statusCode(201);
    }

    static RequestSpecification post(Map<String, String> headers) {
        return given().contentType(ContentType.JSON).headers(headers);
    }

    static String body(String marker) {
        return "{\"id\":\"evt_"
                + marker
                + "\",\"type\":\"invoice.paid\",\"ref\":\"refs/heads/main\"}";
    }

    /** Accepted: 202 with the request id of the event that is on the topic. */
    void accepted(Response r, String hookId, String deliveryId, List<String> ids) {
        r.then()
                .statusCode(202)
                .body("duplicate", equalTo(false))
                .body("deliveryId", equalTo(deliveryId));
        ids.addAll(r.jsonPath().getList("requestIds", String.class));
    }

    void refused(Response r, int status) {
        r.then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status));
    }

    /** The accepted ids, and only they, are on the topic for this connection. */
    void onlyAcceptedOnTopic(String connection, String hookId, List<String> ids) {
        List<ReceivedEvent> all = Api.exactly(infra, List.of(connection), ids.size());
        assertThat(all).extracting(ReceivedEvent::id).containsExactlyInAnyOrderElementsOf(ids);
        for (ReceivedEvent e : all) {
            SyncRequested data = Api.data(e);
            assertThat(data.requestId()).isEqualTo(e.id());
            assertThat(data.correlationId()).isEqualTo(e.id());
            assertThat(data.connectionId()).isEqualTo(connection);
            assertThat(data.jobType()).isEqualTo(JobType.SYNC);
            assertThat(data.trigger().kind()).isEqualTo(TriggerKind.WEBHOOK);
            assertThat(data.trigger().id()).isEqualTo(hookId);
            assertThat(data.trigger().detail()).isNotBlank();
        }
    }

    @Test
    void standardWebhooks() {
        String conn = Api.connection();
        String hookId = "std-" + UUID.randomUUID();
        String current = Signing.whsec("std-current");
        String old = Signing.whsec("std-old");
        createHook(
                Map.of(
                        "id",
                        hookId,
                        "scheme",
                        "standard-webhooks",
                        "secrets",
                        List.of(current, old),
                        "connectionIds",
                        List.of(conn)));
        String url = "/webhooks/" + hookId;
        List<String> ids = new ArrayList<>();
        long now = Signing.now();

        String b1 = body("s1");
        accepted(
                post(headers("msg_s1", now, Signing.standard(current, "msg_s1", now, b1)))
                        .body(b1)
                        .post(url),
                hookId,
                "msg_s1",
                ids);
        // Rotated: the old secret still works while it is listed; several signatures are fine.
        String b2 = body("s2");
        String two =
                Signing.standard(Signing.whsec("unknown"), "msg_s2", now, b2)
                        + " "
                        + Signing.standard(old, "msg_s2", now, b2);
        accepted(post(headers("msg_s2", now, two)).body(b2).post(url), hookId, "msg_s2", ids);
        // Tampered body, old timestamp, wrong secret.
        refused(
                post(headers("msg_s3", now, Signing.standard(current, "msg_s3", now, b1)))
                        .body(b1 + " ")
                        .post(url),
                401);
        refused(
                post(headers(
                                "msg_s4",
                                now - 600,
                                Signing.standard(current, "msg_s4", now - 600, b1)))
                        .body(b1)
                        .post(url),
                401);
        refused(
                post(headers(
                                "msg_s5",
                                now,
                                Signing.standard(Signing.whsec("wrong"), "msg_s5", now, b1)))
                        .body(b1)
                        .post(url),
                401);
        refused(post(Map.of()).body(b1).post(url), 401);

        // After rotation completes (old secret removed; PUT without secrets would keep them).
        Api.admin()
                .body(
                        Map.of(
                                "scheme",
                                "standard-webhooks",
                                "secrets",
                                List.of(current),
                                "connectionIds",
                                List.of(conn)))
                .put("/api/hooks/" + hookId)
                .then()
                .statusCode(200)
                .body("secretCount", equalTo(1));
        refused(
                post(headers("msg_s6", now, Signing.standard(old, "msg_s6", now, b1)))
                        .body(b1)
                        .post(url),
                401);

        onlyAcceptedOnTopic(conn, hookId, ids);
    }

    static Map<String, String> headers(String id, long ts, String signature) {
        return Map.of(
                "webhook-id",
                id,
                "webhook-timestamp",
                Long.toString(ts),
                "webhook-signature",
                signature);
    }

    /**
     * A delivery id header with bytes outside printable ASCII is a 400 naming the header (it used
     * to be a 401, which sends the sender looking for a wrong secret), signed or not; nothing is
     * emitted. Sent over a raw socket: HTTP clients refuse to send such headers.
     */
    @Test
    void deliveryIdHeadersOutsidePrintableAsciiAre400NamingTheHeader() throws Exception {
        String conn = Api.connection();
        String hookId = "std-ascii-" + UUID.randomUUID();
        String secret = Signing.whsec("std-ascii");
        createHook(
                Map.of(
                        "id",
                        hookId,
                        "scheme",
                        "standard-webhooks",
                        "secrets",
                        List.of(secret),
                        "connectionIds",
                        List.of(conn)));
        long now = Signing.now();
        String b = body("ascii");
        for (String id : List.of("msg_caf\u00e9", "msg_\u00ff", "msg_\u007fx", "msg_\u0001x")) {
            String answer =
                    rawPost(
                            "/webhooks/" + hookId,
                            Map.of(
                                    "webhook-id", id,
                                    "webhook-timestamp", Long.toString(now),
                                    "webhook-signature", Signing.standard(secret, id, now, b)),
                            b);
            assertThat(answer).as(id).startsWith("HTTP/1.1 400");
            if (id.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
                assertThat(answer).as(id).contains("webhook-id header must be printable ASCII");
            }
            // else: the HTTP server itself refuses control characters, with a bare 400.
        }
        // The same delivery with a clean id is accepted: only that was wrong.
        List<String> ids = new ArrayList<>();
        accepted(
                post(headers("msg_ascii", now, Signing.standard(secret, "msg_ascii", now, b)))
                        .body(b)
                        .post("/webhooks/" + hookId),
                hookId,
                "msg_ascii",
                ids);
        onlyAcceptedOnTopic(conn, hookId, ids);
    }

    /** One HTTP/1.1 request with header values written as UTF-8 bytes; the whole answer. */
    private static String rawPost(String path, Map<String, String> headers, String body)
            throws java.io.IOException {
        try (java.net.Socket socket =
                new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            byte[] payload = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            StringBuilder head =
                    new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("Content-Type: application/json\r\nConnection: close\r\n");
            head.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
            var out = socket.getOutputStream();
            out.write(head.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.write(payload);
            out.flush();
            return new String(
                    socket.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void github() {
        String conn = Api.connection();
        String hookId = "gh-" + UUID.randomUUID();
        String secret = "gh-secret-0123456789abcdefghij";
        String next = "gh-secret-NEXT-0123456789abcdef";
        createHook(
                Map.of(
                        "id",
                        hookId,
                        "scheme",
                        "github",
                        "secrets",
                        List.of(next, secret),
                        "connectionIds",
                        List.of(conn),
                        "filter",
                        List.of(Map.of("pointer", "/ref", "equals", "refs/heads/main"))));
        String url = "/webhooks/" + hookId;
        List<String> ids = new ArrayList<>();
        String b = body("g1");
        String delivery = UUID.randomUUID().toString();
        Map<String, String> valid =
                Map.of(
                        "X-Hub-Signature-256",
                        Signing.github(secret, b),
                        "X-GitHub-Delivery",
                        delivery,
                        "X-GitHub-Event",
                        "push");
        accepted(post(valid).body(b).post(url), hookId, delivery, ids);
        String d2 = UUID.randomUUID().toString();
        accepted(
                post(Map.of(
                                "X-Hub-Signature-256",
                                Signing.github(next, b),
                                "X-GitHub-Delivery",
                                d2))
                        .body(b)
                        .post(url),
                hookId,
                d2,
                ids);
        refused(post(valid).body(b.replace("main", "evil")).post(url), 401);
        refused(
                post(Map.of(
                                "X-Hub-Signature-256",
                                Signing.github("wrong-0123456789abcdefghijklmn", b),
                                "X-GitHub-Delivery",
                                "x1"))
                        .body(b)
                        .post(url),
                401);
        // GitHub signs no timestamp: replaying an old delivery is caught by its delivery id.
        post(valid)
                .body(b)
                .post(url)
                .then()
                .statusCode(200)
                .body("duplicate", equalTo(true))
                .body("requestIds", equalTo(ids.subList(0, 1)));
        // Filter mismatch: 204 and nothing emitted.
        String other = body("g3").replace("refs/heads/main", "refs/heads/feature");
        post(Map.of(
                        "X-Hub-Signature-256",
                        Signing.github(secret, other),
                        "X-GitHub-Delivery",
                        UUID.randomUUID().toString()))
                .body(other)
                .post(url)
                .then()
                .statusCode(204);
        onlyAcceptedOnTopic(conn, hookId, ids);
    }

    @Test
    void stripe() {
        String conn = Api.connection();
        String hookId = "stripe-" + UUID.randomUUID();
        String secret = "whsec_stripe0123456789abcdefghijkl";
        String previous = "whsec_stripePREV0123456789abcdefg";
        createHook(
                Map.of(
                        "id",
                        hookId,
                        "scheme",
                        "stripe",
                        "secrets",
                        List.of(secret, previous),
                        "connectionIds",
                        List.of(conn),
                        "filter",
                        List.of(
                                Map.of(
                                        "pointer",
                                        "/type",
                                        "in",
                                        List.of("invoice.paid", "charge.refunded")))));
        String url = "/webhooks/" + hookId;
        List<String> ids = new ArrayList<>();
        long now = Signing.now();
        String b1 = body("st1_" + UUID.randomUUID().toString().substring(0, 8));
        String evt1 = b1.substring(7, b1.indexOf('"', 7));
        accepted(
                post(Map.of(
                                "Stripe-Signature",
                                "t=" + now + ",v1=" + Signing.stripeV1(secret, now, b1)))
                        .body(b1)
                        .post(url),
                hookId,
                evt1,
                ids);
        String b2 = body("st2_" + UUID.randomUUID().toString().substring(0, 8));
        String evt2 = b2.substring(7, b2.indexOf('"', 7));
        accepted(
                post(Map.of(
                                "Stripe-Signature",
                                "t="
                                        + now
                                        + ",v1="
                                        + Signing.stripeV1(
                                                "whsec_gone0123456789abcdefghijklm", now, b2)
                                        + ",v1="
                                        + Signing.stripeV1(previous, now, b2)))
                        .body(b2)
                        .post(url),
                hookId,
                evt2,
                ids);
        refused(
                post(Map.of(
                                "Stripe-Signature",
                                "t=" + now + ",v1=" + Signing.stripeV1(secret, now, b1)))
                        .body(b1.replace("paid", "void"))
                        .post(url),
                401);
        refused(
                post(Map.of(
                                "Stripe-Signature",
                                "t="
                                        + (now - 400)
                                        + ",v1="
                                        + Signing.stripeV1(secret, now - 400, b1)))
                        .body(b1)
                        .post(url),
                401);
        refused(
                post(Map.of(
                                "Stripe-Signature",
                                "t="
                                        + now
                                        + ",v1="
                                        + Signing.stripeV1(
                                                "whsec_wrong0123456789abcdefghijk", now, b1)))
                        .body(b1)
                        .post(url),
                401);
        // The same event id re-sent by Stripe (new timestamp, new signature) is the same delivery.
        long later = now + 30;
        post(Map.of(
                        "Stripe-Signature",
                        "t=" + later + ",v1=" + Signing.stripeV1(secret, later, b1)))
                .body(b1)
                .post(url)
                .then()
                .statusCode(200)
                .body("duplicate", equalTo(true));
        String filtered = body("st3").replace("invoice.paid", "customer.created");
        post(Map.of(
                        "Stripe-Signature",
                        "t=" + now + ",v1=" + Signing.stripeV1(secret, now, filtered)))
                .body(filtered)
                .post(url)
                .then()
                .statusCode(204);
        onlyAcceptedOnTopic(conn, hookId, ids);
    }

    @Test
    void genericHmac() {
        String conn = Api.connection();
        String hookId = "hmac-" + UUID.randomUUID();
        String secret = "hmac-secret-0123456789abcdefgh";
        String next = "hmac-secret-NEXT-0123456789abc";
        createHook(
                Map.of(
                        "id",
                        hookId,
                        "scheme",
                        "hmac-sha256",
                        "secrets",
                        List.of(secret),
                        "connectionIds",
                        List.of(conn),
                        "signatureHeader",
                        "X-Acme-Signature",
                        "timestampHeader",
                        "X-Acme-Timestamp",
                        "deliveryIdHeader",
                        "X-Acme-Delivery"));
        String url = "/webhooks/" + hookId;
        List<String> ids = new ArrayList<>();
        long now = Signing.now();
        String b = body("h1");
        accepted(
                post(Map.of(
                                "X-Acme-Signature",
                                Signing.hex(secret, now + "." + b),
                                "X-Acme-Timestamp",
                                "" + now,
                                "X-Acme-Delivery",
                                "acme-1"))
                        .body(b)
                        .post(url),
                hookId,
                "acme-1",
                ids);
        refused(
                post(Map.of(
                                "X-Acme-Signature",
                                Signing.hex(secret, now + "." + b),
                                "X-Acme-Timestamp",
                                "" + now,
                                "X-Acme-Delivery",
                                "acme-2"))
                        .body(b + "x")
                        .post(url),
                401);
        refused(
                post(Map.of(
                                "X-Acme-Signature",
                                Signing.hex(secret, (now - 301) + "." + b),
                                "X-Acme-Timestamp",
                                "" + (now - 301),
                                "X-Acme-Delivery",
                                "acme-3"))
                        .body(b)
                        .post(url),
                401);
        refused(
                post(Map.of(
                                "X-Acme-Signature",
                                Signing.hex(next, now + "." + b),
                                "X-Acme-Timestamp",
                                "" + now,
                                "X-Acme-Delivery",
                                "acme-4"))
                        .body(b)
                        .post(url),
                401);
        // Rotation on the receiving side: both secrets listed, the sender moves to the new one.
        Api.admin()
                .body(
                        Map.of(
                                "scheme",
                                "hmac-sha256",
                                "secrets",
                                List.of(next, secret),
                                "connectionIds",
                                List.of(conn),
                                "signatureHeader",
                                "X-Acme-Signature",
                                "timestampHeader",
                                "X-Acme-Timestamp",
                                "deliveryIdHeader",
                                "X-Acme-Delivery"))
                .put("/api/hooks/" + hookId)
                .then()
                .statusCode(200);
        accepted(
                post(Map.of(
                                "X-Acme-Signature",
                                Signing.hex(next, now + "." + b),
                                "X-Acme-Timestamp",
                                "" + now,
                                "X-Acme-Delivery",
                                "acme-5"))
                        .body(b)
                        .post(url),
                hookId,
                "acme-5",
                ids);
        onlyAcceptedOnTopic(conn, hookId, ids);
    }

    @Test
    void disabledHookRefusesSignedDeliveriesAndEmitsNothingUntilEnabled() {
        String conn = Api.connection();
        String hookId = "toggle-" + UUID.randomUUID();
        String secret = "toggle-secret-0123456789abcdef";
        createHook(
                Map.of(
                        "id",
                        hookId,
                        "scheme",
                        "github",
                        "secrets",
                        List.of(secret),
                        "connectionIds",
                        List.of(conn)));
        String url = "/webhooks/" + hookId;
        // Disabling twice is harmless: both answer the same view, never the secret.
        String first =
                toggle(hookId, "disable").body("enabled", equalTo(false)).extract().asString();
        String second = toggle(hookId, "disable").extract().asString();
        assertThat(first).isEqualTo(second).doesNotContain(secret).contains("\"secretCount\":1");
        Api.viewer().get("/api/hooks/" + hookId).then().body("enabled", equalTo(false));

        String b = body("t1");
        String delivery = UUID.randomUUID().toString();
        Map<String, String> signed =
                Map.of(
                        "X-Hub-Signature-256",
                        Signing.github(secret, b),
                        "X-GitHub-Delivery",
                        delivery);
        Response refusal = post(signed).body(b).post(url);
        refused(refusal, 403);
        refusal.then()
                .body("title", equalTo("Forbidden"))
                .body("detail", equalTo("hook is disabled"));
        // A wrong signature is still a 401: the 403 is only for the hook's own senders.
        refused(
                post(Map.of(
                                "X-Hub-Signature-256",
                                Signing.github("wrong-0123456789abcdefghijklmn", b),
                                "X-GitHub-Delivery",
                                delivery))
                        .body(b)
                        .post(url),
                401);
        assertThat(Api.requestsWithin(infra, List.of(conn), Duration.ofSeconds(2))).isEmpty();

        toggle(hookId, "enable").body("enabled", equalTo(true));
        toggle(hookId, "enable").body("enabled", equalTo(true)).body("secretCount", equalTo(1));
        // The very delivery refused while disabled is new to the hook: nothing was stored for it.
        List<String> ids = new ArrayList<>();
        accepted(post(signed).body(b).post(url), hookId, delivery, ids);
        onlyAcceptedOnTopic(conn, hookId, ids);
    }

    /** POST /api/hooks/{id}/enable|disable as the console sends it: no body, no content type. */
    static ValidatableResponse toggle(String hookId, String action) {
        return given().header("Authorization", Api.WRITE)
                .post("/api/hooks/" + hookId + "/" + action)
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("id", equalTo(hookId))
                .body("secrets", nullValue());
    }
}
