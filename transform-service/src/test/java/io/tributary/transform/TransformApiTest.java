package io.tributary.transform;

import static io.restassured.RestAssured.given;
import static io.tributary.transform.support.TestSupport.reader;
import static io.tributary.transform.support.TestSupport.writer;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.transform.support.TransformTestResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CRUD under /api/transforms with bearer tokens; anything that could inject is refused. */
@QuarkusTest
@WithTestResource(
        value = TransformTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "transform-service"),
        scope = TestResourceScope.GLOBAL)
class TransformApiTest {

    static Map<String, Object> valid() {
        Map<String, Object> d = new HashMap<>();
        d.put("projectDir", "demo");
        d.put("profilesDir", "demo");
        d.put(
                "select",
                "+customer_orders tag:nightly path:models/staging config.materialized:view");
        d.put("exclude", "stg_payments");
        d.put("vars", Map.of("pause_seconds", 0, "region", "eu-west", "list", List.of(1, "a")));
        d.put("threads", 2);
        d.put("timeout", "PT15M");
        d.put("upstream", Map.of("connectionIds", List.of("conn-1", "conn-2"), "when", "all"));
        d.put("debounce", "PT30S");
        return d;
    }

    @Test
    void tokensAreRequiredAndReadTokensCannotWrite() {
        given().get("/api/transforms").then().statusCode(401);
        given().auth()
                .oauth2("not-a-valid-token-at-all")
                .get("/api/transforms")
                .then()
                .statusCode(401);
        reader().get("/api/transforms")
                .then()
                .statusCode(200)
                .body("name", hasItems("shop_build", "shop_fanin"));
        reader().contentType("application/json")
                .body(valid())
                .put("/api/transforms/api_ro")
                .then()
                .statusCode(403);
        reader().post("/api/transforms/shop_build/runs").then().statusCode(403);
    }

    @Test
    void definitionsAreCreatedReadReplacedAndDeleted() {
        Map<String, Object> d = valid();
        d.put("name", "api_crud");
        writer().body(d)
                .post("/api/transforms")
                .then()
                .statusCode(201)
                .body("name", equalTo("api_crud"));
        writer().body(d).post("/api/transforms").then().statusCode(409);
        reader().get("/api/transforms/api_crud")
                .then()
                .statusCode(200)
                .body("upstream.when", equalTo("all"))
                .body("timeout", equalTo("PT15M"))
                .body("vars.region", equalTo("eu-west"));
        d.put("command", "test");
        writer().body(d)
                .put("/api/transforms/api_crud")
                .then()
                .statusCode(200)
                .body("command", equalTo("test"));
        reader().get("/api/transforms/api_crud/runs")
                .then()
                .statusCode(200)
                .body("size()", equalTo(0));
        // No run has produced a dbt manifest yet: 404, a problem.
        reader().get("/api/transforms/api_crud/manifest")
                .then()
                .statusCode(404)
                .contentType(containsString("problem+json"));
        reader().get("/api/transforms/nope/manifest")
                .then()
                .statusCode(404)
                .contentType(containsString("problem+json"));
        given().get("/api/transforms/shop_build/manifest").then().statusCode(401);
        writer().delete("/api/transforms/api_crud").then().statusCode(204);
        reader().get("/api/transforms/api_crud")
                .then()
                .statusCode(404)
                .contentType(containsString("problem+json"));
        writer().delete("/api/transforms/api_crud").then().statusCode(404);
        writer().post("/api/transforms/nope/runs").then().statusCode(404);
        reader().get("/api/runs/not-a-uuid").then().statusCode(404);
        reader().get("/api/runs/" + java.util.UUID.randomUUID()).then().statusCode(404);
    }

    static List<Object[]> injections() {
        return List.of(
                new Object[] {"select", "customer_orders; rm -rf /", "select"},
                new Object[] {"select", "--profiles-dir=/tmp/evil", "select"},
                new Object[] {"select", "$(touch /tmp/pwned)", "select"},
                new Object[] {"select", "a`id`", "select"},
                new Object[] {"select", "stg|cat", "select"},
                new Object[] {"select", "path:../../etc", "select"},
                new Object[] {"exclude", "-x", "exclude"},
                new Object[] {"exclude", "a && b", "exclude"},
                new Object[] {"exclude", "a\nb --full-refresh", "exclude"},
                new Object[] {"vars", Map.of("x", "{{ env_var('WAREHOUSE_PASSWORD') }}"), "Jinja"},
                new Object[] {
                    "vars", Map.of("x", "{% do run_query('drop schema marts') %}"), "Jinja"
                },
                new Object[] {"vars", Map.of("bad key", 1), "vars key"},
                new Object[] {"vars", Map.of("x", "line\nbreak"), "printable"},
                new Object[] {"projectDir", "../../../etc", "projects root"},
                new Object[] {"projectDir", "/etc", "projects root"},
                new Object[] {"projectDir", "demo/../..", "projects root"},
                new Object[] {"projectDir", "--help", "must not start with '-'"},
                new Object[] {"projectDir", "demo/models", "dbt_project.yml"},
                new Object[] {"profilesDir", "../../..", "projects root"},
                new Object[] {"target", "dev --debug", "target"},
                new Object[] {"command", "run-operation", "command"},
                new Object[] {"threads", 1000, "threads"},
                new Object[] {"timeout", "PT0S", "timeout"},
                new Object[] {"upstream", Map.of("connectionIds", List.of("a b")), "connection id"},
                new Object[] {
                    "upstream", Map.of("connectionIds", List.of("a"), "when", "most"), "when"
                });
    }

    @ParameterizedTest
    @MethodSource("injections")
    void injectionAttemptsAreRefusedWhenSaved(String field, Object value, String expected) {
        Map<String, Object> d = valid();
        d.put(field, value);
        writer().body(d)
                .put("/api/transforms/api_evil")
                .then()
                .statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("title", equalTo("Invalid Transform"))
                .body("detail", containsString(expected));
        reader().get("/api/transforms/api_evil").then().statusCode(404);
    }

    @Test
    void otherMistakesAreClear400s() {
        Map<String, Object> both = valid();
        both.put("profile", Map.of("type", "postgres", "envPrefix", "WAREHOUSE"));
        writer().body(both)
                .put("/api/transforms/api_bad")
                .then()
                .statusCode(400)
                .body("detail", containsString("not both"));

        Map<String, Object> refresh = valid();
        refresh.put("command", "test");
        refresh.put("fullRefresh", true);
        writer().body(refresh)
                .put("/api/transforms/api_bad")
                .then()
                .statusCode(400)
                .body("detail", containsString("fullRefresh"));

        writer().body(valid())
                .put("/api/transforms/Bad Name")
                .then()
                .statusCode(400)
                .body("detail", containsString("name"));
        Map<String, Object> other = valid();
        other.put("name", "someone_else");
        writer().body(other).put("/api/transforms/api_bad").then().statusCode(400);
        writer().body("{not json").put("/api/transforms/api_bad").then().statusCode(400);
        Map<String, Object> cloud = valid();
        cloud.put("runner", "cloud");
        writer().body(cloud)
                .put("/api/transforms/api_bad")
                .then()
                .statusCode(400)
                .body("detail", containsString("cloud.accountId"));
    }

    static List<Object[]> changedAndRetryMistakes() {
        return List.of(
                new Object[] {
                    Map.of("streamSources", Map.of("raw.orders", "shop.orders")),
                    "streamSources applies to select: changed only"
                },
                new Object[] {Map.of("select", "changed", "command", "seed"), "select: changed"},
                new Object[] {
                    Map.of("select", "changed", "streamSources", Map.of("raw shop.orders", "s.o")),
                    "streamSources key"
                },
                new Object[] {
                    Map.of("select", "changed", "streamSources", Map.of("raw.ord+ers", "s.o")),
                    "streamSources key"
                },
                new Object[] {
                    Map.of("select", "changed", "streamSources", Map.of("raw.orders", "s.o+")),
                    "streamSources value"
                },
                new Object[] {
                    Map.of("select", "changed", "streamSources", Map.of("raw.orders", "orders")),
                    "streamSources value"
                },
                new Object[] {Map.of("retry", Map.of("maxAttempts", 0)), "retry.maxAttempts"},
                new Object[] {Map.of("retry", Map.of("maxAttempts", 11)), "retry.maxAttempts"},
                new Object[] {
                    Map.of("retry", Map.of("maxAttempts", 1, "backoff", "-PT1S")), "retry.backoff"
                });
    }

    @ParameterizedTest
    @MethodSource("changedAndRetryMistakes")
    void selectChangedItsMappingAndRetriesAreValidated(
            Map<String, Object> fields, String expected) {
        Map<String, Object> d = valid();
        d.putAll(fields);
        writer().body(d)
                .put("/api/transforms/api_changed_bad")
                .then()
                .statusCode(400)
                .body("detail", containsString(expected));
        reader().get("/api/transforms/api_changed_bad").then().statusCode(404);
    }

    @Test
    void selectChangedWithAMappingAndARetryPolicyIsSavedAsWritten() {
        Map<String, Object> d = valid();
        d.put("select", "changed");
        d.put("streamSources", Map.of("public.Orders", "raw_shop.orders", "events", "raw.events"));
        d.put("retry", Map.of("maxAttempts", 3, "backoff", "PT2M", "includeTestFailures", true));
        writer().body(d).put("/api/transforms/api_changed").then().statusCode(201);
        reader().get("/api/transforms/api_changed")
                .then()
                .statusCode(200)
                .body("select", equalTo("changed"))
                .body("streamSources.'public.Orders'", equalTo("raw_shop.orders"))
                .body("retry.maxAttempts", equalTo(3))
                .body("retry.backoff", equalTo("PT2M"))
                .body("retry.includeTestFailures", equalTo(true));
        writer().delete("/api/transforms/api_changed").then().statusCode(204);
    }
}
