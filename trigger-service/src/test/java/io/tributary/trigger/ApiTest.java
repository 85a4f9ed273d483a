package io.tributary.trigger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.tributary.events.JobType;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncRequested;
import io.tributary.events.TriggerKind;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TributaryTestResource;
import io.tributary.trigger.definition.DefinitionsFile;
import io.tributary.trigger.definition.Saved;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The management API: tokens, validation, CRUD, the YAML file, on-demand syncs, metrics. */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "trigger-service"),
        scope = TestResourceScope.GLOBAL)
class ApiTest {
    static final String SECRET = "api-hook-secret-0123456789abcdef";

    @InjectInfrastructure Infrastructure infra;
    @Inject DefinitionsFile file;

    @Test
    void tokensAndScopes() {
        given().get("/api/hooks").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer not-a-valid-token-at-all")
                .get("/api/schedules")
                .then()
                .statusCode(401);
        Api.viewer().get("/api/rules").then().statusCode(200);
        Api.viewer()
                .body(Map.of("connectionIds", List.of(Api.connection())))
                .post("/api/syncs")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        Api.viewer().delete("/api/hooks/yaml-github").then().statusCode(403);
    }

    @Test
    void hookCrudNeverShowsSecrets() {
        String id = "crud-" + UUID.randomUUID();
        String conn = Api.connection();
        Map<String, Object> hook =
                Map.of(
                        "id",
                        id,
                        "scheme",
                        "github",
                        "secrets",
                        List.of(SECRET),
                        "connectionIds",
                        List.of(conn));
        String created =
                Api.admin()
                        .body(hook)
                        .post("/api/hooks")
                        .then()
                        .statusCode(201)
                        .header("Location", containsString("/api/hooks/" + id))
                        .body("secretCount", equalTo(1))
                        .body("secrets", nullValue())
                        .body("url", equalTo("/webhooks/" + id))
                        .extract()
                        .asString();
        assertThat(created).doesNotContain(SECRET);
        Api.admin()
                .body(hook)
                .post("/api/hooks")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        assertThat(Api.viewer().get("/api/hooks").asString()).doesNotContain(SECRET).contains(id);
        // PUT without secrets keeps them; the jobType changes.
        Api.admin()
                .body(
                        Map.of(
                                "scheme",
                                "github",
                                "connectionIds",
                                List.of(conn),
                                "jobType",
                                "reset"))
                .put("/api/hooks/" + id)
                .then()
                .statusCode(200)
                .body("jobType", equalTo("reset"))
                .body("secretCount", equalTo(1));
        Api.admin().delete("/api/hooks/" + id).then().statusCode(204);
        Api.viewer()
                .get("/api/hooks/" + id)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        Api.admin().delete("/api/hooks/" + id).then().statusCode(404);
    }

    @Test
    void definitionsAreValidated() {
        String conn = Api.connection();
        invalid(
                "/api/hooks",
                Map.of(
                        "id",
                        "short",
                        "scheme",
                        "github",
                        "secrets",
                        List.of("too-short-secret"),
                        "connectionIds",
                        List.of(conn)),
                "at least 24 bytes");
        invalid(
                "/api/hooks",
                Map.of(
                        "id",
                        "sw",
                        "scheme",
                        "standard-webhooks",
                        "secrets",
                        List.of("whsec_c2hvcnQ="),
                        "connectionIds",
                        List.of(conn)),
                "24 bytes");
        invalid(
                "/api/hooks",
                Map.of(
                        "id",
                        "scheme",
                        "scheme",
                        "carrier-pigeon",
                        "secrets",
                        List.of(SECRET),
                        "connectionIds",
                        List.of(conn)),
                "scheme");
        invalid(
                "/api/hooks",
                Map.of(
                        "id",
                        "conn",
                        "scheme",
                        "github",
                        "secrets",
                        List.of(SECRET),
                        "connectionIds",
                        List.of("not-a-uuid")),
                "connectionIds");
        invalid(
                "/api/hooks",
                Map.of(
                        "id",
                        "bad id!",
                        "scheme",
                        "github",
                        "secrets",
                        List.of(SECRET),
                        "connectionIds",
                        List.of(conn)),
                "id must match");
        invalid(
                "/api/hooks",
                Map.of(
                        "id",
                        "typo",
                        "scheme",
                        "github",
                        "secret",
                        SECRET,
                        "connectionIds",
                        List.of(conn)),
                "secret");
        invalid(
                "/api/hooks",
                Map.of(
                        "id",
                        "ptr",
                        "scheme",
                        "github",
                        "secrets",
                        List.of(SECRET),
                        "connectionIds",
                        List.of(conn),
                        "filter",
                        List.of(Map.of("pointer", "ref", "equals", "x"))),
                "JSON Pointer");
        invalid(
                "/api/schedules",
                Map.of("id", "cron", "cron", "61 * * * *", "connectionIds", List.of(conn)),
                "cron");
        invalid(
                "/api/schedules",
                Map.of("id", "cron", "cron", "every day", "connectionIds", List.of(conn)),
                "cron");
        invalid(
                "/api/schedules",
                Map.of(
                        "id",
                        "tz",
                        "cron",
                        "0 * * * *",
                        "timeZone",
                        "Mars/Olympus",
                        "connectionIds",
                        List.of(conn)),
                "timeZone");
        invalid(
                "/api/schedules",
                Map.of(
                        "id",
                        "mp",
                        "cron",
                        "0 * * * *",
                        "misfirePolicy",
                        "sometimes",
                        "connectionIds",
                        List.of(conn)),
                "misfirePolicy");
        invalid(
                "/api/rules",
                Map.of(
                        "id",
                        "r",
                        "eventTypes",
                        List.of("sync.exploded"),
                        "sourceConnectionIds",
                        List.of(conn),
                        "targetConnectionIds",
                        List.of(Api.connection())),
                "eventTypes");
        invalid(
                "/api/rules",
                Map.of(
                        "id",
                        "r",
                        "eventTypes",
                        List.of("sync.succeeded"),
                        "condition",
                        "rowsSynced >",
                        "sourceConnectionIds",
                        List.of(conn),
                        "targetConnectionIds",
                        List.of(Api.connection())),
                "condition");
        Api.admin()
                .body("{\"id\":")
                .post("/api/hooks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        Api.admin()
                .body(Map.of("id", "other", "cron", "0 * * * *", "connectionIds", List.of(conn)))
                .put("/api/schedules/mismatch")
                .then()
                .statusCode(400)
                .body("detail", containsString("differs"));
    }

    @Test
    void celConditionsAreCheckedAndOldFormsAreStoredAsCel() {
        String a = Api.connection();
        String b = Api.connection();
        Map<String, Object> rule =
                Map.of(
                        "id",
                        "cel-" + UUID.randomUUID(),
                        "eventTypes",
                        List.of("sync.succeeded"),
                        "sourceConnectionIds",
                        List.of(a),
                        "targetConnectionIds",
                        List.of(b));
        Map<String, Object> badRule = new java.util.HashMap<>(rule);
        badRule.put("condition", "data.rowsSynced >\n  && true");
        invalid("/api/rules", badRule, "condition: invalid condition at line 2, column");
        badRule.put("condition", "headers['x'] == 'y'");
        invalid("/api/rules", badRule, "condition: invalid condition at line 1, column 1");
        Map<String, Object> hook =
                Map.of(
                        "id",
                        "cel-" + UUID.randomUUID(),
                        "scheme",
                        "github",
                        "secrets",
                        List.of(SECRET),
                        "connectionIds",
                        List.of(a));
        Map<String, Object> badHook = new java.util.HashMap<>(hook);
        badHook.put("filter", "data.ref == ");
        invalid("/api/hooks", badHook, "filter: invalid condition at line 1, column");
        Map<String, Object> badTrigger =
                Map.of(
                        "id",
                        "cel-" + UUID.randomUUID(),
                        "topic",
                        "ext.cel",
                        "connectionIds",
                        List.of(a),
                        "filter",
                        "subject == 'x'");
        invalid("/api/kafka-triggers", badTrigger, "filter: invalid condition at line 1");

        // The old syntaxes are translated, stored and shown as CEL.
        Map<String, Object> oldRule = new java.util.HashMap<>(rule);
        oldRule.put("condition", "rowsSynced > 0 && jobType == sync");
        Api.admin()
                .body(oldRule)
                .post("/api/rules")
                .then()
                .statusCode(201)
                .body("condition", equalTo("data.rowsSynced > 0 && data.jobType == 'sync'"));
        Map<String, Object> oldHook = new java.util.HashMap<>(hook);
        oldHook.put("filter", List.of(Map.of("pointer", "/type", "in", List.of("a", "b"))));
        Api.admin()
                .body(oldHook)
                .post("/api/hooks")
                .then()
                .statusCode(201)
                .body("filter", equalTo("data.type in ['a', 'b']"));
        Api.viewer()
                .get("/api/hooks/yaml-github")
                .then()
                .body("filter", equalTo("data.ref == 'refs/heads/main'"));
        Api.viewer()
                .get("/api/kafka-triggers/yaml-orders")
                .then()
                .body("filter", equalTo("headers['ce_type'] == 'com.acme.order.created'"));
    }

    static void invalid(String path, Map<String, Object> body, String detail) {
        Api.admin()
                .body(body)
                .post(path)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", containsString(detail));
    }

    @Test
    void scheduleShowsNextFireTimesInItsZone() {
        String id = "paris-" + UUID.randomUUID();
        Api.admin()
                .body(
                        Map.of(
                                "id",
                                id,
                                "cron",
                                "30 6 * * *",
                                "timeZone",
                                "Europe/Paris",
                                "connectionIds",
                                List.of(Api.connection())))
                .post("/api/schedules")
                .then()
                .statusCode(201)
                .body("misfirePolicy", equalTo("fire-once"))
                .body("enabled", equalTo(true))
                .body("jobType", equalTo("sync"));
        var json =
                Api.viewer()
                        .get("/api/schedules/" + id)
                        .then()
                        .statusCode(200)
                        .body("nextFireTimes", hasSize(5))
                        .extract()
                        .jsonPath();
        List<String> times = json.getList("nextFireTimes", String.class);
        for (String t : times) {
            OffsetDateTime time = OffsetDateTime.parse(t);
            assertThat(time.getHour()).isEqualTo(6);
            assertThat(time.getMinute()).isEqualTo(30);
            assertThat(time.getOffset().getTotalSeconds()).isIn(3600, 7200);
        }
        assertThat(OffsetDateTime.parse(times.get(0)).toInstant().toString())
                .isEqualTo(json.getString("nextFireAt"));
        // Disabled: no next fire times.
        Api.admin()
                .body(
                        Map.of(
                                "cron",
                                "30 6 * * *",
                                "timeZone",
                                "Europe/Paris",
                                "connectionIds",
                                List.of(Api.connection()),
                                "enabled",
                                false))
                .put("/api/schedules/" + id)
                .then()
                .statusCode(200)
                .body("nextFireTimes", hasSize(0));
    }

    @Test
    void yamlFileIsLoadedAtStartAndReloadingChangesNothing() {
        Api.viewer()
                .get("/api/hooks/yaml-github")
                .then()
                .statusCode(200)
                .body("scheme", equalTo("github"))
                .body("secretCount", equalTo(1));
        String next =
                Api.viewer()
                        .get("/api/schedules/yaml-nightly")
                        .then()
                        .statusCode(200)
                        .body("timeZone", equalTo("Europe/Paris"))
                        .body("misfirePolicy", equalTo("skip"))
                        .extract()
                        .path("nextFireAt");
        Api.viewer().get("/api/rules").then().body("id", hasItem("yaml-chain"));
        Map<Saved, Integer> again = file.load(Path.of("src/test/resources/definitions.yaml"));
        assertThat(again).containsOnlyKeys(Saved.UNCHANGED).containsEntry(Saved.UNCHANGED, 4);
        Api.viewer().get("/api/schedules/yaml-nightly").then().body("nextFireAt", equalTo(next));
        // The ${...} secret was resolved from the configuration: a delivery signed with it works.
        String body = "{\"ref\":\"refs/heads/main\"}";
        given().contentType("application/json")
                .header(
                        "X-Hub-Signature-256",
                        Signing.github("yaml-hook-secret-0123456789abcdef", body))
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .body(body)
                .post("/webhooks/yaml-github")
                .then()
                .statusCode(202);
    }

    @Test
    void onDemandResetThenSyncInOrderWithIdempotencyKey() {
        String a = Api.connection();
        String b = Api.connection();
        var answer =
                Api.admin()
                        .header(
                                "Idempotency-Key",
                                "op-" + UUID.randomUUID().toString().substring(0, 8))
                        .body(
                                Map.of(
                                        "connectionIds",
                                        List.of(a, b),
                                        "jobTypes",
                                        List.of("reset", "sync"),
                                        "reason",
                                        "schema changed"));
        var first =
                answer.post("/api/syncs")
                        .then()
                        .statusCode(202)
                        .body("requestIds", hasSize(4))
                        .extract()
                        .jsonPath()
                        .getList("requestIds", String.class);
        answer.post("/api/syncs")
                .then()
                .statusCode(200)
                .body("duplicate", equalTo(true))
                .body("requestIds", equalTo(first));
        Api.admin()
                .body(Map.of("connectionIds", List.of(a), "jobType", "clear"))
                .post("/api/syncs")
                .then()
                .statusCode(202);
        Api.admin()
                .body(
                        Map.of(
                                "connectionIds",
                                List.of(a),
                                "jobType",
                                "clear",
                                "jobTypes",
                                List.of("sync")))
                .post("/api/syncs")
                .then()
                .statusCode(400);
        Api.admin()
                .body(Map.of("connectionIds", List.of("nope")))
                .post("/api/syncs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        Api.admin()
                .body(Map.of("connectionIds", List.of(a), "jobType", "explode"))
                .post("/api/syncs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");

        List<ReceivedEvent> events = Api.exactly(infra, List.of(a, b), 5);
        assertThat(events).hasSize(5);
        List<SyncRequested> ofA =
                events.stream().map(Api::data).filter(r -> r.connectionId().equals(a)).toList();
        assertThat(ofA)
                .extracting(SyncRequested::jobType)
                .containsExactly(JobType.RESET, JobType.SYNC, JobType.CLEAR);
        SyncRequested r = ofA.get(0);
        assertThat(r.trigger().kind()).isEqualTo(TriggerKind.MANUAL);
        assertThat(r.trigger().id()).isEqualTo("admin");
        assertThat(r.trigger().detail()).isEqualTo("schema changed");
        assertThat(events.stream().map(Api::data).filter(x -> x.connectionId().equals(b)))
                .extracting(SyncRequested::jobType)
                .containsExactly(JobType.RESET, JobType.SYNC);
    }

    @Test
    void metricsCountRequestsRejectionsAndAckTime() {
        Api.admin()
                .body(Map.of("connectionIds", List.of(Api.connection())))
                .post("/api/syncs")
                .then()
                .statusCode(202);
        given().contentType("application/json")
                .body("{}")
                .post("/webhooks/metrics-no-such-hook")
                .then()
                .statusCode(404);
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("tributary_trigger_requests_total{kind=\"manual\"}"))
                .body(
                        containsString(
                                "tributary_trigger_webhook_rejections_total{reason=\"unknown_hook\"}"))
                .body(containsString("tributary_trigger_kafka_ack_seconds_count"))
                .body(not(containsString(SECRET)));
    }

    @Test
    void enableAndDisableNeedTheWriteScopeAndAnswer404ForUnknownIds() {
        for (String kind : List.of("hooks", "schedules")) {
            String known = kind.equals("hooks") ? "yaml-github" : "yaml-nightly";
            for (String action : List.of("enable", "disable")) {
                for (String unknown : List.of("no-such-" + kind, "bad id!")) {
                    given().header("Authorization", Api.WRITE)
                            .post("/api/" + kind + "/" + unknown + "/" + action)
                            .then()
                            .statusCode(404)
                            .contentType("application/problem+json")
                            .body("status", equalTo(404));
                }
                given().header("Authorization", Api.READ)
                        .post("/api/" + kind + "/" + known + "/" + action)
                        .then()
                        .statusCode(403)
                        .contentType("application/problem+json");
                given().post("/api/" + kind + "/" + known + "/" + action)
                        .then()
                        .statusCode(401)
                        .contentType("application/problem+json");
            }
            Api.viewer().get("/api/" + kind + "/" + known).then().body("enabled", equalTo(true));
        }
    }

    @Test
    void scheduleEnableAndDisableAreIdempotent() {
        String id = "toggle-" + UUID.randomUUID();
        Api.admin()
                .body(
                        Map.of(
                                "id",
                                id,
                                "cron",
                                "0 0 1 1 *",
                                "connectionIds",
                                List.of(Api.connection())))
                .post("/api/schedules")
                .then()
                .statusCode(201);
        String next = Api.viewer().get("/api/schedules/" + id).then().extract().path("nextFireAt");
        // Enabling an enabled schedule keeps its next fire time: a double click neither skips
        // nor repeats a fire.
        String enabled =
                action("schedules", id, "enable")
                        .body("nextFireAt", equalTo(next))
                        .extract()
                        .asString();
        assertThat(action("schedules", id, "enable").extract().asString()).isEqualTo(enabled);
        String disabled =
                action("schedules", id, "disable")
                        .body("enabled", equalTo(false))
                        .body("nextFireAt", nullValue())
                        .extract()
                        .asString();
        assertThat(action("schedules", id, "disable").extract().asString()).isEqualTo(disabled);
        Api.viewer().get("/api/schedules/" + id).then().body("enabled", equalTo(false));
        action("schedules", id, "enable")
                .body("enabled", equalTo(true))
                .body("nextFireAt", equalTo(next))
                .body("nextFireTimes", hasSize(5));
        // Left disabled: ScheduleTest's engines tick with clocks a year ahead.
        action("schedules", id, "disable");
    }

    @Test
    void theDefinitionsFileKeepsAnApiFlagUntilTheFilesOwnFlagChanges() throws Exception {
        String hook = "file-hook-" + UUID.randomUUID();
        String schedule = "file-schedule-" + UUID.randomUUID();
        String first = Api.connection();
        String second = Api.connection();
        Path dir = Files.createDirectories(Path.of("target/definitions-files"));
        Path yaml = dir.resolve(UUID.randomUUID() + ".yaml");

        writeDefinitions(yaml, hook, schedule, first, null);
        assertThat(file.load(yaml)).containsEntry(Saved.CREATED, 2);
        action("hooks", hook, "disable");
        action("schedules", schedule, "disable");
        // A restart (the same file loaded again) does not revert the API's disable.
        assertThat(file.load(yaml)).containsOnlyKeys(Saved.UNCHANGED);
        assertFlags(hook, schedule, false);
        // Other fields changed in the file are applied; the flag stays the API's.
        writeDefinitions(yaml, hook, schedule, second, null);
        assertThat(file.load(yaml)).containsOnlyKeys(Saved.UPDATED);
        assertFlags(hook, schedule, false);
        Api.viewer()
                .get("/api/hooks/" + hook)
                .then()
                .body("connectionIds", equalTo(List.of(second)));
        // The file now says "enabled: false" too; then the API enables both, and a restart keeps
        // them enabled: the file still says what it said.
        writeDefinitions(yaml, hook, schedule, second, false);
        assertThat(file.load(yaml)).containsOnlyKeys(Saved.UNCHANGED);
        action("hooks", hook, "enable");
        action("schedules", schedule, "enable");
        assertThat(file.load(yaml)).containsOnlyKeys(Saved.UNCHANGED);
        assertFlags(hook, schedule, true);
        // Each change of the file's own flag is applied: true (as the API left them), then false.
        writeDefinitions(yaml, hook, schedule, second, true);
        assertThat(file.load(yaml)).containsOnlyKeys(Saved.UNCHANGED);
        writeDefinitions(yaml, hook, schedule, second, false);
        assertThat(file.load(yaml)).containsOnlyKeys(Saved.UPDATED);
        assertFlags(hook, schedule, false);
        Api.viewer().get("/api/schedules/" + schedule).then().body("nextFireAt", nullValue());
    }

    static void writeDefinitions(
            Path yaml, String hook, String schedule, String connection, Boolean enabled)
            throws Exception {
        String flag = enabled == null ? "" : "    enabled: " + enabled + "\n";
        Files.writeString(
                yaml,
                "hooks:\n"
                        + "  - id: "
                        + hook
                        + "\n"
                        + "    scheme: github\n"
                        + "    secrets: [\""
                        + SECRET
                        + "\"]\n"
                        + "    connectionIds: ["
                        + connection
                        + "]\n"
                        + flag
                        + "schedules:\n"
                        + "  - id: "
                        + schedule
                        + "\n"
                        + "    cron: \"0 0 1 1 *\"\n"
                        + "    connectionIds: ["
                        + connection
                        + "]\n"
                        + flag);
    }

    static void assertFlags(String hook, String schedule, boolean enabled) {
        Api.viewer().get("/api/hooks/" + hook).then().body("enabled", equalTo(enabled));
        Api.viewer().get("/api/schedules/" + schedule).then().body("enabled", equalTo(enabled));
    }

    /** POST /api/{kind}/{id}/enable|disable as the console sends it: no body, no content type. */
    static ValidatableResponse action(String kind, String id, String action) {
        return given().header("Authorization", Api.WRITE)
                .post("/api/" + kind + "/" + id + "/" + action)
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("id", equalTo(id))
                .body("enabled", equalTo(action.equals("enable")));
    }
}
