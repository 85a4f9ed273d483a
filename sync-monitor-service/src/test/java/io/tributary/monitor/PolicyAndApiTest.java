package io.tributary.monitor;

import static io.restassured.RestAssured.given;
import static io.tributary.monitor.Monitor.api;
import static io.tributary.monitor.Monitor.endings;
import static io.tributary.monitor.Monitor.sandbox;
import static io.tributary.monitor.Monitor.starts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tributary.events.FailureReason;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncStarted;
import io.tributary.events.SyncStatus;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TributaryTestResource;
import io.tributary.sandbox.ConnectionScript;
import io.tributary.sandbox.JobStatus;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-connection policies and the management API. */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "sync-monitor-service"),
        scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AirbyteSandboxResource.class, scope = TestResourceScope.GLOBAL)
class PolicyAndApiTest {

    @InjectInfrastructure Infrastructure infra;
    Monitor monitor;

    @BeforeEach
    void open() {
        monitor = new Monitor(infra.kafkaBootstrapServers());
    }

    @AfterEach
    void close() {
        monitor.close();
    }

    @Test
    void aJobPastItsDeadlineIsCancelledAndReportedTimedOut() {
        UUID conn = sandbox().addConnection("stuck → postgres", ConnectionScript.hangForever());
        policy(conn, "{\"deadline\":\"PT3S\"}").then().statusCode(200);
        monitor.request(conn);
        SyncStarted started = starts(monitor.events(conn, 1)).get(0);

        SyncFinished ended = endings(monitor.events(conn, 2)).get(0);
        assertThat(ended.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(ended.reason()).isEqualTo(FailureReason.TIMED_OUT);
        assertThat(sandbox().job(started.jobId()).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void tooFewRecordsFailValidationWithTheCounts() {
        UUID conn =
                sandbox()
                        .addConnection(
                                "thin → postgres",
                                ConnectionScript.succeedAfter(Duration.ofSeconds(10), 5)
                                        .withBytes(500));
        policy(conn, "{\"minRecords\":100}").then().statusCode(200);
        monitor.request(conn);

        SyncFinished ended = endings(monitor.events(conn, 2)).get(0);
        assertThat(ended.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(ended.reason()).isEqualTo(FailureReason.VALIDATION_FAILED);
        assertThat(ended.rowsSynced()).isEqualTo(5);
        assertThat(ended.bytesSynced()).isEqualTo(500);
        assertThat(ended.message()).contains("5").contains("100");
    }

    @Test
    void theApiNeedsATokenAndAWriteScopeToChangeAPolicy() {
        UUID conn =
                sandbox()
                        .addConnection(
                                "api → postgres",
                                ConnectionScript.succeedAfter(Duration.ofSeconds(10), 1));
        given().get("/api/jobs").then().statusCode(401);
        given().header("Authorization", "Bearer " + Monitor.READ_TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"minRecords\":1}")
                .put("/api/connections/" + conn + "/policy")
                .then()
                .statusCode(403);
        policy(conn, "{\"minRecords\":-1}")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        policy(conn, "{\"deadline\":\"soon\"}").then().statusCode(400);
        policy(UUID.randomUUID(), "{\"minRecords\":1}").then().statusCode(404);
        policy(conn, "{\"minRecords\":10,\"deadline\":\"PT2H\"}")
                .then()
                .statusCode(200)
                .body("policy.minRecords", equalTo(10))
                .body("effectiveDeadline", equalTo("PT2H"));
        api().get("/api/connections")
                .then()
                .statusCode(200)
                .body("find { it.connectionId == '" + conn + "' }.name", equalTo("api → postgres"))
                .body("find { it.connectionId == '" + conn + "' }.policy.minRecords", equalTo(10));
        api().get("/api/jobs/not-a-number").then().statusCode(400);
        api().get("/api/jobs/987654321").then().statusCode(404);
        api().get("/api/jobs?status=running").then().statusCode(200);
    }

    @Test
    void theNotificationEndpointChecksItsSecretAndNeverLeaksIt() {
        given().contentType(ContentType.JSON)
                .body("{\"data\":{\"jobId\":1,\"success\":true}}")
                .post("/airbyte/notifications/wrong-secret")
                .then()
                .statusCode(404)
                .body(not(containsString(Monitor.NOTIFICATION_SECRET)));
        given().contentType(ContentType.JSON)
                .body("{\"text\":\"test\"}")
                .post("/airbyte/notifications/" + Monitor.NOTIFICATION_SECRET)
                .then()
                .statusCode(202);
        given().contentType(ContentType.JSON)
                .body("{\"data\":{\"jobId\":123456789,\"success\":false}}")
                .post("/airbyte/notifications/" + Monitor.NOTIFICATION_SECRET)
                .then()
                .statusCode(202);
        given().get("/q/health/ready")
                .then()
                .body(not(containsString(AirbyteSandboxResource.CLIENT_SECRET)));
    }

    private static io.restassured.response.Response policy(UUID conn, String body) {
        return api().contentType(ContentType.JSON)
                .body(body)
                .put("/api/connections/" + conn + "/policy");
    }
}
