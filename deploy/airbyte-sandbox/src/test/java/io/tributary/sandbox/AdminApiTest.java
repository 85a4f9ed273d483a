package io.tributary.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The /sandbox admin endpoints script a standalone sandbox the way the Java API does. */
class AdminApiTest extends SandboxTestBase {

    private ApiClient admin() {
        return ApiClient.unvalidated(sandbox.origin() + "/sandbox");
    }

    private ApiClient.Reply adminCall(String method, String path, String body) {
        return admin().send(
                        method,
                        path,
                        Map.of(),
                        body == null ? null : "application/json",
                        body,
                        false);
    }

    @Test
    void scriptsConnectionsAndJobsOverHttp() {
        JsonNode created =
                adminCall(
                                "POST",
                                "/connections",
                                "{\"name\":\"pg → pg\",\"script\":{\"outcome\":\"hang\"}}")
                        .json();
        UUID conn = UUID.fromString(created.get("connectionId").asText());
        assertThat(created.get("script").asText()).startsWith("hang");
        assertThat(api.get("/connections/" + conn).json().get("name").asText())
                .isEqualTo("pg → pg");

        JsonNode outside = adminCall("POST", "/connections/" + conn + "/jobs", "{}").json();
        long jobId = outside.get("jobId").asLong();
        assertThat(api.createJob(conn, "sync").status()).isEqualTo(409);
        assertThat(
                        adminCall("POST", "/connections/" + conn + "/complete", null)
                                .json()
                                .get("status")
                                .asText())
                .isEqualTo("succeeded");

        adminCall(
                "PUT",
                "/connections/" + conn + "/script",
                "{\"outcome\":\"fail\",\"after\":0.05,\"message\":\"kaput\"}");
        long failing = api.createJob(conn, "sync").json().get("jobId").asLong();
        awaitStatus(failing, "failed");
        JsonNode jobs = adminCall("GET", "/connections/" + conn + "/jobs", null).json();
        assertThat(jobs).hasSize(2);
        assertThat(jobs.get(0).get("jobId").asLong()).isEqualTo(jobId);
        assertThat(jobs.get(1).get("errorMessage").asText()).isEqualTo("kaput");

        adminCall("PUT", "/connections/" + conn + "/script", "{\"outcome\":\"hang\"}");
        long hanging = api.createJob(conn, "sync").json().get("jobId").asLong();
        assertThat(
                        adminCall(
                                        "POST",
                                        "/jobs/" + hanging + "/finish",
                                        "{\"status\":\"cancelled\"}")
                                .status())
                .isEqualTo(200);
        assertThat(sandbox.job(hanging).status()).isEqualTo(JobStatus.CANCELLED);

        adminCall("PUT", "/connections/" + conn + "/status", "{\"status\":\"inactive\"}");
        assertThat(api.get("/connections/" + conn).json().get("status").asText())
                .isEqualTo("inactive");
        assertThat(
                        adminCall(
                                        "PUT",
                                        "/connections/" + conn + "/script",
                                        "{\"outcome\":\"maybe\"}")
                                .status())
                .isEqualTo(400);
    }

    @Test
    void streamsPerStreamRecordsAndQueuedOverHttp() {
        JsonNode created =
                adminCall(
                                "POST",
                                "/connections",
                                "{\"name\":\"shop → postgres\",\"loadsShopData\":true,"
                                        + "\"script\":{\"outcome\":\"succeed\",\"after\":0.05,"
                                        + "\"queuedFor\":\"PT0.2S\",\"streamRecords\":{\"orders\":42}}}")
                        .json();
        UUID shop = UUID.fromString(created.get("connectionId").asText());
        assertThat(created.at("/streams/1/name").asText()).isEqualTo("orders");
        assertThat(created.at("/streams/1/namespace").asText()).isEqualTo("raw_shop");
        assertThat(created.get("script").asText()).contains("streamRecords={orders=42}");

        long jobId = api.createJob(shop, "sync").json().get("jobId").asLong();
        awaitStatus(jobId, "queued");
        assertThat(awaitStatus(jobId, "succeeded").get("rowsSynced").asLong()).isEqualTo(42);
        JsonNode jobs = adminCall("GET", "/connections/" + shop + "/jobs", null).json();
        assertThat(jobs.at("/0/streamStats/1/records").asLong()).isEqualTo(42);
        assertThat(jobs.at("/0/streamStats/0/records").asLong()).isZero();

        JsonNode custom =
                adminCall(
                                "POST",
                                "/connections",
                                "{\"name\":\"api → postgres\",\"streams\":[{\"name\":\"events\","
                                        + "\"namespace\":\"raw_api\",\"cursorField\":\"ts\","
                                        + "\"columns\":{\"id\":\"integer\",\"ts\":\"date-time\"}},"
                                        + "{\"name\":\"users\"}]}")
                        .json();
        assertThat(custom.at("/streams/0/cursorField").asText()).isEqualTo("ts");
        assertThat(custom.at("/streams/1/namespace").isNull()).isTrue();
        assertThat(
                        adminCall(
                                        "PUT",
                                        "/connections/" + shop + "/script",
                                        "{\"outcome\":\"succeed\",\"streamRecords\":{\"orders\":-1}}")
                                .status())
                .isEqualTo(400);
    }

    @Test
    void faultsTokensCountersAndSettingsOverHttp() {
        adminCall("POST", "/faults", "{\"type\":\"status\",\"status\":503,\"count\":2}");
        assertThat(adminCall("GET", "/faults", null).json().get("pending").asInt()).isEqualTo(2);
        assertThat(api.get("/jobs").status()).isEqualTo(503);
        adminCall("DELETE", "/faults", null);
        assertThat(api.get("/jobs").status()).isEqualTo(200);

        adminCall(
                "POST",
                "/faults",
                "{\"type\":\"status\",\"status\":502,\"endpoint\":\"GET /workspaces\"}");
        assertThat(api.get("/jobs").status()).isEqualTo(200);
        assertThat(api.get("/workspaces").status()).isEqualTo(502);
        assertThat(api.get("/workspaces").status()).isEqualTo(200);

        adminCall("POST", "/faults", "{\"type\":\"status\",\"status\":429,\"window\":\"PT60S\"}");
        assertThat(api.get("/jobs").status()).isEqualTo(429);
        adminCall("DELETE", "/faults", null);

        JsonNode counters = adminCall("GET", "/counters", null).json();
        assertThat(counters.get("GET /jobs 503").asLong()).isEqualTo(1);
        assertThat(counters.get("GET /jobs 429").asLong()).isEqualTo(1);
        adminCall("DELETE", "/counters", null);
        assertThat(adminCall("GET", "/counters", null).json().size()).isZero();

        adminCall("POST", "/tokens/revoke", null);
        assertThat(api.get("/jobs").status()).isEqualTo(401);

        adminCall("PUT", "/time-compression", "{\"factor\":50}");
        assertThat(sandbox.timeCompression()).isEqualTo(50.0);
        adminCall("PUT", "/webhook", "{\"url\":\"http://127.0.0.1:9/hook\"}");
        assertThat(sandbox.webhookUrl()).isEqualTo("http://127.0.0.1:9/hook");
        assertThat(adminCall("GET", "/nothing-here", null).status()).isEqualTo(404);
    }
}
