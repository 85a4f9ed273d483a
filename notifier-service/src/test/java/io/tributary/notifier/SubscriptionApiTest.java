package io.tributary.notifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.notifier.subscription.SubscriptionFileLoader;
import io.tributary.notifier.subscription.SubscriptionRepository;
import io.tributary.notifier.support.Api;
import io.tributary.notifier.support.Events;
import io.tributary.notifier.support.Receiver;
import io.tributary.notifier.support.TestAddressResolver;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * /api/subscriptions and /api/deliveries: tokens, CRUD, masking, tests, CEL filters, the YAML file.
 */
@QuarkusTest
class SubscriptionApiTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String SLACK_SECRET_PATH = "/services/T0001/B0001/very-secret-token";

    @InjectInfrastructure Infrastructure infra;
    @Inject SubscriptionRepository store;
    @Inject SubscriptionFileLoader loader;
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
    void tokensAreRequiredAndReadTokensCannotWrite() {
        given().get("/api/subscriptions").then().statusCode(401);
        given().get("/api/deliveries").then().statusCode(401);
        Api.reader().get("/api/subscriptions").then().statusCode(200);
        Api.reader()
                .body(Map.of("name", "x"))
                .post("/api/subscriptions")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void crudMasksSecretsAndKeepsThemWhenTheMaskComesBack() {
        String name = "api-" + UUID.randomUUID();
        String url = receiver.url(SLACK_SECRET_PATH);
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("eventTypes", List.of("io.tributary.sync.*", "io.tributary.transform.failed"));
        body.put(
                "filters",
                Map.of(
                        "connections", List.of(UUID.randomUUID().toString()),
                        "reasons", List.of("airbyte_failed", "node_failed")));
        body.put("channel", "slack");
        body.put("settings", Map.of("url", url));
        var created =
                Api.create(body)
                        .statusCode(201)
                        .header("Location", containsString("/api/subscriptions/"))
                        .body("settings.url", equalTo("http://localhost/********"))
                        .body("enabled", equalTo(true))
                        .body("notifyOnRecovery", equalTo(true))
                        .body("origin", equalTo("api"))
                        .extract();
        String id = created.path("id");
        assertThat(created.asString()).doesNotContain("very-secret-token");
        String listed =
                Api.reader().get("/api/subscriptions").then().statusCode(200).extract().asString();
        assertThat(listed).contains(name).doesNotContain("very-secret-token");

        // PUT with the mask sent back: the stored URL stays.
        Map<String, Object> update = new HashMap<>(body);
        update.put("settings", Map.of("url", "http://localhost/********"));
        update.put("notifyOnRecovery", false);
        Api.admin()
                .body(update)
                .put("/api/subscriptions/" + id)
                .then()
                .statusCode(200)
                .body("notifyOnRecovery", equalTo(false));
        assertThat(store.findSubscription(id).orElseThrow().settings().path("url").asText())
                .isEqualTo(url);

        // A test message goes through the real channel to the stored URL.
        String deliveryId =
                Api.admin()
                        .post("/api/subscriptions/" + id + "/test")
                        .then()
                        .statusCode(202)
                        .body("kind", equalTo("test"))
                        .extract()
                        .path("id");
        await().atMost(WAIT)
                .until(() -> "delivered".equals(Api.delivery(deliveryId).get("status")));
        assertThat(receiver.requests(SLACK_SECRET_PATH)).hasSize(1);
        assertThat(receiver.requests(SLACK_SECRET_PATH).get(0).text())
                .contains("Test from Tributary");

        Api.admin()
                .queryParam("subscriptionId", id)
                .queryParam("status", "delivered")
                .get("/api/deliveries")
                .then()
                .statusCode(200)
                .body("id", hasItem(deliveryId));
        Api.admin()
                .queryParam("subscriptionId", id)
                .queryParam("status", "failed")
                .get("/api/deliveries")
                .then()
                .statusCode(200)
                .body("size()", equalTo(0));
        Api.admin().queryParam("status", "nope").get("/api/deliveries").then().statusCode(400);

        Api.admin().delete("/api/subscriptions/" + id).then().statusCode(204);
        Api.admin().get("/api/subscriptions/" + id).then().statusCode(404);
        Api.admin().delete("/api/subscriptions/" + id).then().statusCode(404);
    }

    @Test
    void otherSecretsAreMaskedToo() {
        Map<String, Object> nobody = Map.of("connections", List.of(UUID.randomUUID().toString()));
        String pd =
                Api.subscribe(
                        "pd-" + UUID.randomUUID(),
                        List.of("io.tributary.sync.failed"),
                        nobody,
                        "pagerduty",
                        Map.of(
                                "routingKey",
                                "0123456789abcdef0123456789abcdef",
                                "url",
                                "https://" + TestAddressResolver.PUBLIC_NAME + "/v2/enqueue"));
        Api.admin()
                .get("/api/subscriptions/" + pd)
                .then()
                .body("settings.routingKey", equalTo("********"));
        String mail =
                Api.subscribe(
                        "mail-" + UUID.randomUUID(),
                        List.of("io.tributary.sync.failed"),
                        nobody,
                        "email",
                        Map.of(
                                "to",
                                List.of("ops@example.com"),
                                "smtp",
                                Map.of(
                                        "host",
                                        TestAddressResolver.PUBLIC_NAME,
                                        "username",
                                        "ops",
                                        "password",
                                        "hunter2-smtp")));
        String shown = Api.admin().get("/api/subscriptions/" + mail).then().extract().asString();
        assertThat(shown).doesNotContain("hunter2-smtp").contains("********");
        String hook =
                Api.subscribe(
                        "hook-" + UUID.randomUUID(),
                        List.of("io.tributary.sync.failed"),
                        nobody,
                        "webhook",
                        Map.of(
                                "url",
                                "https://" + TestAddressResolver.PUBLIC_NAME + "/hook",
                                "secret",
                                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        Api.admin()
                .get("/api/subscriptions/" + hook)
                .then()
                .body("settings.secret", equalTo("********"));
        for (String id : List.of(pd, mail, hook)) {
            Api.admin().delete("/api/subscriptions/" + id).then().statusCode(204);
        }
    }

    @Test
    void badInputIsAClearProblem() {
        Map<String, Object> good = new HashMap<>();
        good.put("name", "bad-" + UUID.randomUUID());
        good.put("eventTypes", List.of("io.tributary.sync.failed"));
        good.put("channel", "slack");
        good.put("filters", Map.of("connections", List.of(UUID.randomUUID().toString())));
        good.put("settings", Map.of("url", receiver.url("/x")));

        Map<String, Object> unknownType = new HashMap<>(good);
        unknownType.put("eventTypes", List.of("io.tributary.synk.failed"));
        Api.create(unknownType).statusCode(400).body("detail", containsString("matches none"));

        Map<String, Object> badChannel = new HashMap<>(good);
        badChannel.put("channel", "pigeon");
        Api.create(badChannel).statusCode(400).contentType("application/problem+json");

        Map<String, Object> noUrl = new HashMap<>(good);
        noUrl.put("settings", Map.of());
        Api.create(noUrl).statusCode(400).body("detail", containsString("settings.url"));

        Map<String, Object> badReason = new HashMap<>(good);
        badReason.put("filters", Map.of("reasons", List.of("bad_luck")));
        Api.create(badReason).statusCode(400).body("detail", containsString("bad_luck"));

        Map<String, Object> badSecret = new HashMap<>(good);
        badSecret.put("channel", "webhook");
        badSecret.put("settings", Map.of("url", receiver.url("/x"), "secret", "not-a-secret"));
        Api.create(badSecret).statusCode(400).body("detail", containsString("whsec_"));

        Api.create(good).statusCode(201);
        Api.create(good).statusCode(409);
        Api.admin().get("/api/subscriptions/nope").then().statusCode(404);
        Api.admin().post("/api/subscriptions/nope/test").then().statusCode(404);
    }

    @Test
    void concurrentCreatesOfOneNameStoreOneAndAnswerTheRest409() throws Exception {
        Map<String, Object> body = new HashMap<>();
        String name = "race-" + UUID.randomUUID();
        body.put("name", name);
        body.put("eventTypes", List.of("io.tributary.sync.failed"));
        body.put("channel", "slack");
        body.put("settings", Map.of("url", receiver.url("/race")));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(
                        pool.submit(
                                () -> {
                                    go.await();
                                    return Api.create(body).extract().statusCode();
                                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get(60, TimeUnit.SECONDS));
            }
            // Never a 500: the loser of a check-then-insert race is told the name is taken.
            assertThat(statuses).containsOnly(201, 409).containsOnlyOnce(201);
        } finally {
            pool.shutdownNow();
        }
        assertThat(
                        Api.admin()
                                .get("/api/subscriptions")
                                .then()
                                .extract()
                                .jsonPath()
                                .getList("findAll { it.name == '" + name + "' }"))
                .hasSize(1);
    }

    @Test
    void filtersAreCelCheckedAtSaveAndDecideWhichEventsAreSent() {
        String connection = UUID.randomUUID().toString();
        String path = "/cel/" + connection;
        Map<String, Object> body = new HashMap<>();
        body.put("name", "cel-" + connection);
        body.put("eventTypes", List.of("io.tributary.sync.failed"));
        body.put("channel", "webhook");
        body.put("settings", Map.of("url", receiver.url(path)));

        Map<String, Object> invalid = new HashMap<>(body);
        invalid.put("filter", "data.connectionId ==\n  'a' &&");
        Api.create(invalid)
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("filter: invalid condition at line 2, column"));
        Map<String, Object> notBoolean = new HashMap<>(body);
        notBoolean.put("filter", "subject + '!'");
        Api.create(notBoolean).statusCode(400).body("detail", containsString("line 1, column"));
        Map<String, Object> both = new HashMap<>(body);
        both.put("filter", "true");
        both.put("filters", Map.of("connections", List.of(connection)));
        Api.create(both).statusCode(400).body("detail", containsString("not both"));

        String filter =
                "data.connectionId == '" + connection + "' && data.message.contains('disk')";
        body.put("filter", filter);
        String id =
                Api.create(body)
                        .statusCode(201)
                        .body("filter", equalTo(filter))
                        .extract()
                        .path("id");
        try (Events events = new Events(infra.kafkaBootstrapServers())) {
            events.send(Events.syncFailed(connection, 1, "quota exceeded"));
            events.send(Events.syncFailed(connection, 2, "disk full"));
        }
        await().atMost(WAIT).until(() -> receiver.requests(path).size() == 1);
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(4))
                .until(() -> receiver.requests(path).size() == 1);
        assertThat(receiver.requests(path).get(0).text()).contains("disk full");
        Api.admin().delete("/api/subscriptions/" + id).then().statusCode(204);
    }

    @Test
    void theDeprecatedFiltersAreSavedAsTheEquivalentCel() {
        String connection = UUID.randomUUID().toString();
        Map<String, Object> body = new HashMap<>();
        body.put("name", "legacy-" + connection);
        body.put("eventTypes", List.of("io.tributary.sync.*"));
        body.put("channel", "slack");
        body.put("settings", Map.of("url", receiver.url("/legacy")));
        body.put(
                "filters",
                Map.of("connections", List.of(connection), "reasons", List.of("timed_out")));
        String id =
                Api.create(body)
                        .statusCode(201)
                        .body(
                                "filter",
                                equalTo(
                                        "type.startsWith('io.tributary.sync.') && data.connectionId"
                                                + " in ['"
                                                + connection
                                                + "'] && (type != 'io.tributary.sync.failed'"
                                                + " || data.reason in ['timed_out'])"
                                                + " && type != 'io.tributary.transform.failed'"))
                        .body("filters", org.hamcrest.Matchers.nullValue())
                        .extract()
                        .path("id");
        assertThat(store.findSubscription(id).orElseThrow().filter()).contains(connection);
        Api.admin().delete("/api/subscriptions/" + id).then().statusCode(204);
    }

    @Test
    void theYamlFileWasLoadedAtStartAndLoadingItAgainChangesNothing() {
        var fromFile =
                Api.admin()
                        .get("/api/subscriptions")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("findAll { it.name == 'ops-from-file' }", Map.class);
        assertThat(fromFile).hasSize(1);
        Map<?, ?> subscription = fromFile.get(0);
        assertThat(subscription.get("origin")).isEqualTo("file");
        assertThat(((Map<?, ?>) subscription.get("settings")).get("url"))
                .isEqualTo("https://hooks.example.test/********");
        var stored = store.findSubscription((String) subscription.get("id")).orElseThrow();
        // ${TEST_FILE_SLACK_TOKEN} came from the configuration.
        assertThat(stored.settings().path("url").asText())
                .isEqualTo("https://hooks.example.test/services/T000/B000/file-secret-path");

        int before = store.all().size();
        assertThat(loader.load(Path.of("src/test/resources/subscriptions.yaml"))).isEqualTo(1);
        assertThat(store.all()).hasSize(before);
        var again = store.findSubscription((String) subscription.get("id")).orElseThrow();
        assertThat(again.updatedAt()).isEqualTo(stored.updatedAt());
    }
}
