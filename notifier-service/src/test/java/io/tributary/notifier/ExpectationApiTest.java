package io.tributary.notifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.tributary.notifier.expectation.Expectation;
import io.tributary.notifier.expectation.ExpectationFileLoader;
import io.tributary.notifier.expectation.ExpectationRepository;
import io.tributary.notifier.support.Api;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * /api/expectations (issue 19): CRUD of each promise, every refused input (400, nothing stored),
 * 409s, read and write tokens, the YAML file. Evaluation: ExpectationEvaluationTest.
 */
@QuarkusTest
class ExpectationApiTest {
    static final String CONNECTION = "3f2a1c7e-1111-4222-8333-444455556666";

    @Inject ExpectationRepository store;
    @Inject ExpectationFileLoader loader;

    @Test
    void readTokensReadAndOnlyWriteTokensChange() {
        given().get("/api/expectations").then().statusCode(401);
        String id = create(freshness("tokens", "PT1H")).statusCode(201).extract().path("id");
        Api.reader().get("/api/expectations").then().statusCode(200).body("id", hasItem(id));
        Api.reader().get("/api/expectations/" + id).then().statusCode(200);
        long before = store.count();
        Api.reader()
                .body(freshness("tokens-read", "PT1H"))
                .post("/api/expectations")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        Api.reader()
                .body(freshness("tokens", "PT2H"))
                .put("/api/expectations/" + id)
                .then()
                .statusCode(403);
        Api.reader().delete("/api/expectations/" + id).then().statusCode(403);
        assertThat(store.count()).isEqualTo(before);
        assertThat(stored(id).orElseThrow().freshness().every()).isEqualTo("PT1H");
        Api.admin().delete("/api/expectations/" + id).then().statusCode(204);
    }

    @Test
    void historyAnswersBadInputWithAProblem() {
        String id = create(freshness("history", "PT1H")).statusCode(201).extract().path("id");
        given().get("/api/expectations/" + id + "/history").then().statusCode(401);
        Api.reader()
                .get("/api/expectations/" + id + "/history")
                .then()
                .statusCode(200)
                .body("size()", equalTo(0)); // nothing raised yet
        for (String limit : List.of("0", "501", "-3", "many")) {
            Api.reader()
                    .queryParam("limit", limit)
                    .get("/api/expectations/" + id + "/history")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString("limit must be between 1 and 500"));
        }
        Api.reader()
                .queryParam("limit", "many")
                .get("/api/expectations/" + id + "/history")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        Api.reader()
                .get("/api/expectations/nope/history")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        Api.admin().delete("/api/expectations/" + id).then().statusCode(204);
    }

    @Test
    void freshnessIsCreatedReadReplacedAndDeleted() {
        Map<String, Object> body = freshness("fresh", "P1D");
        var created =
                create(body)
                        .statusCode(201)
                        .header("Location", containsString("/api/expectations/"))
                        .body("name", equalTo(body.get("name")))
                        .body("subject.kind", equalTo("connection"))
                        .body("subject.id", equalTo(CONNECTION))
                        .body("freshness.every", equalTo("PT24H"))
                        .body("deadline", nullValue())
                        .body("volume", nullValue())
                        .body("enabled", equalTo(true))
                        .body("origin", equalTo("api"))
                        .body("createdAt", notNullValue())
                        .extract();
        String id = created.path("id");
        assertThat(id).matches("[0-9a-f-]{36}");
        Api.reader()
                .get("/api/expectations/" + id)
                .then()
                .statusCode(200)
                .body("freshness.every", equalTo("PT24H"));

        body.put(
                "freshness",
                Map.of("every", "PT2S")); // the minimum itself (tests: PT2S) is allowed
        body.put("enabled", false);
        Api.admin()
                .body(body)
                .put("/api/expectations/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("freshness.every", equalTo("PT2S"))
                .body("enabled", equalTo(false))
                .body("createdAt", equalTo(created.path("createdAt")))
                .body("updatedAt", not(equalTo(created.path("updatedAt"))));
        Expectation stored = stored(id).orElseThrow();
        assertThat(stored.freshness().every()).isEqualTo("PT2S");
        assertThat(stored.enabled()).isFalse();

        Api.admin().delete("/api/expectations/" + id).then().statusCode(204);
        Api.admin().get("/api/expectations/" + id).then().statusCode(404);
        Api.admin().delete("/api/expectations/" + id).then().statusCode(404);
        Api.admin()
                .body(body)
                .put("/api/expectations/" + id)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        assertThat(stored(id)).isEmpty();
        Api.admin()
                .get("/q/metrics")
                .then()
                .body(
                        containsString(
                                "tributary_notifier_expectations_changed_total{change=\"deleted\","
                                        + "promise=\"freshness\"}"));
    }

    @Test
    void deadlineOfATransformWithAGivenId() {
        String id = "mart-by-seven-" + UUID.randomUUID();
        Map<String, Object> body = new HashMap<>();
        body.put("id", id);
        body.put("name", "deadline-" + id);
        body.put("subject", Map.of("kind", "transform", "id", "mart_orders"));
        body.put("deadline", Map.of("cron", " 0 7 * * * ", "timeZone", "Europe/Paris"));
        create(body)
                .statusCode(201)
                .header("Location", containsString("/api/expectations/" + id))
                .body("id", equalTo(id))
                .body("subject.kind", equalTo("transform"))
                .body("subject.id", equalTo("mart_orders"))
                .body("deadline.cron", equalTo("0 7 * * *"))
                .body("deadline.timeZone", equalTo("Europe/Paris"))
                .body("freshness", nullValue());
        create(body).statusCode(409).body("detail", containsString(id));

        body.put("deadline", Map.of("cron", "30 6 * * 1-5")); // time zone: UTC by default
        Api.admin()
                .body(body)
                .put("/api/expectations/" + id)
                .then()
                .statusCode(200)
                .body("deadline.cron", equalTo("30 6 * * 1-5"))
                .body("deadline.timeZone", equalTo("UTC"));
        Map<String, Object> otherId = new HashMap<>(body);
        otherId.put("id", "another-id");
        Api.admin()
                .body(otherId)
                .put("/api/expectations/" + id)
                .then()
                .statusCode(400)
                .body("detail", containsString("id"));
        assertThat(stored(id).orElseThrow().deadline().cron()).isEqualTo("30 6 * * 1-5");
        Api.admin().delete("/api/expectations/" + id).then().statusCode(204);
        assertThat(stored(id)).isEmpty();
    }

    @Test
    void volumeOfAConnectionWithDefaults() {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "volume-" + UUID.randomUUID());
        body.put("subject", Map.of("kind", "connection", "id", CONNECTION.toUpperCase()));
        body.put("volume", Map.of());
        String id =
                create(body)
                        .statusCode(201)
                        .body("subject.id", equalTo(CONNECTION))
                        .body("volume.fraction", equalTo(0.1f))
                        .body("volume.history", equalTo(10))
                        .body("volume.minRows", nullValue())
                        .extract()
                        .path("id");
        create(body).statusCode(409).body("detail", containsString("named"));

        body.put("volume", Map.of("minRows", 1000, "fraction", 0.5, "history", 100));
        Api.admin()
                .body(body)
                .put("/api/expectations/" + id)
                .then()
                .statusCode(200)
                .body("volume.minRows", equalTo(1000))
                .body("volume.fraction", equalTo(0.5f))
                .body("volume.history", equalTo(100));
        var stored = stored(id).orElseThrow().volume();
        assertThat(stored.minRows()).isEqualTo(1000L);
        assertThat(stored.fraction()).isEqualTo(0.5);
        Api.admin().delete("/api/expectations/" + id).then().statusCode(204);
    }

    @Test
    void badInputIsA400NamingTheFieldAndStoresNothing() {
        refused(freshness("short", "PT1S"), "freshness.every PT1S is below the minimum PT2S");
        refused(freshness("words", "1h"), "freshness.every must be an ISO-8601 duration");
        refused(freshness("negative", "-PT1H"), "freshness.every PT-1H is below the minimum");
        refused(with("subject", Map.of("kind", "dataset", "id", CONNECTION)), "subject.kind");
        refused(with("subject", Map.of("id", CONNECTION)), "subject.kind is required");
        refused(with("subject", Map.of("kind", "connection", "id", "orders")), "subject.id");
        refused(
                with("subject", Map.of("kind", "transform", "id", "Mart Orders")),
                "subject.id must be a transform name");
        refused(deadline("0 7 * *", "UTC"), "deadline.cron must have 5 fields");
        refused(deadline("0 0 7 * * * *", "UTC"), "deadline.cron must have 5 fields");
        refused(deadline("* * * * * *", "UTC"), "deadline.cron '* * * * * *' fires PT1S apart");
        refused(deadline("61 7 * * *", "UTC"), "deadline.cron '61 7 * * *' is not valid");
        refused(deadline("0 0 30 2 *", "UTC"), "deadline.cron '0 0 30 2 *' never fires");
        refused(deadline("0 7 * * *", "Mars/Olympus"), "deadline.timeZone 'Mars/Olympus'");
        refused(volume(Map.of("fraction", 1.5)), "volume.fraction must be between 0 and 1");
        refused(volume(Map.of("fraction", -0.1)), "volume.fraction must be between 0 and 1");
        refused(volume(Map.of("history", 0)), "volume.history must be between 1 and 100");
        refused(volume(Map.of("history", 101)), "volume.history must be between 1 and 100");
        refused(volume(Map.of("history", 2.5)), "volume.history");
        refused(volume(Map.of("minRows", -1)), "volume.minRows must be 0 or more");
        Map<String, Object> onTransform = volume(Map.of());
        onTransform.put("subject", Map.of("kind", "transform", "id", "mart_orders"));
        refused(onTransform, "volume: applies to connections only");
        Map<String, Object> two = freshness("two", "PT1H");
        two.put("deadline", Map.of("cron", "0 7 * * *"));
        refused(two, "exactly one promise is required: freshness, deadline or volume (got");
        Map<String, Object> none = freshness("none", "PT1H");
        none.remove("freshness");
        refused(none, "exactly one promise is required");
        Map<String, Object> typo = freshness("typo", "PT1H");
        typo.put("fresness", Map.of("every", "PT1H"));
        refused(typo, "fresness: unknown field");
        refused(with("freshness", Map.of("evry", "PT1H")), "freshness.evry: unknown field");
        refused(with("id", "no spaces allowed"), "id must match");
        refused(with("name", " "), "name is required");

        // A bad PUT changes nothing either.
        String id = create(freshness("kept", "PT1H")).statusCode(201).extract().path("id");
        Api.admin()
                .body(freshness("kept", "PT1S"))
                .put("/api/expectations/" + id)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("freshness.every"));
        assertThat(stored(id).orElseThrow().freshness().every()).isEqualTo("PT1H");
        Api.admin().delete("/api/expectations/" + id).then().statusCode(204);
    }

    @Test
    void theYamlFileWasLoadedAtStartAndLoadingItAgainChangesNothing() {
        Expectation fresh = named("orders-fresh-from-file").orElseThrow();
        assertThat(fresh.origin()).isEqualTo("file");
        assertThat(fresh.subject().id()).isEqualTo(CONNECTION);
        assertThat(fresh.freshness().every()).isEqualTo("PT24H");
        Expectation deadline = stored("mart-by-seven-from-file").orElseThrow();
        assertThat(deadline.deadline().timeZone()).isEqualTo("Europe/Paris");
        Api.reader()
                .get("/api/expectations/mart-by-seven-from-file")
                .then()
                .statusCode(200)
                .body("origin", equalTo("file"))
                .body("deadline.cron", equalTo("0 7 * * 1-5"));

        long before = store.count();
        assertThat(loader.load(Path.of("src/test/resources/subscriptions.yaml"))).isEqualTo(2);
        assertThat(store.count()).isEqualTo(before);
        assertThat(stored(fresh.id()).orElseThrow().updatedAt()).isEqualTo(fresh.updatedAt());
        assertThat(stored(deadline.id()).orElseThrow().updatedAt()).isEqualTo(deadline.updatedAt());
    }

    private void refused(Map<String, Object> body, String detail) {
        long before = store.count();
        create(body)
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString(detail));
        assertThat(store.count()).as(detail).isEqualTo(before);
        if (body.get("name") instanceof String name && !name.isBlank()) {
            assertThat(named(name.trim())).as(detail).isEmpty();
        }
    }

    /** Read in a transaction of its own: the test's session would answer from its cache. */
    private Optional<Expectation> stored(String id) {
        return QuarkusTransaction.requiringNew().call(() -> store.findExpectation(id));
    }

    private Optional<Expectation> named(String name) {
        return QuarkusTransaction.requiringNew().call(() -> store.findByName(name));
    }

    private static ValidatableResponse create(Map<String, Object> body) {
        return Api.admin().body(body).post("/api/expectations").then();
    }

    private static Map<String, Object> with(String field, Object value) {
        Map<String, Object> body = freshness(field, "PT1H");
        body.put(field, value);
        return body;
    }

    private static Map<String, Object> freshness(String name, String every) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name + "-" + UUID.randomUUID());
        body.put("subject", Map.of("kind", "connection", "id", CONNECTION));
        body.put("freshness", Map.of("every", every));
        return body;
    }

    private static Map<String, Object> deadline(String cron, String zone) {
        Map<String, Object> body = freshness("deadline", "PT1H");
        body.remove("freshness");
        body.put("deadline", Map.of("cron", cron, "timeZone", zone));
        return body;
    }

    private static Map<String, Object> volume(Map<String, Object> volume) {
        Map<String, Object> body = freshness("volume", "PT1H");
        body.remove("freshness");
        body.put("volume", volume);
        return body;
    }
}
