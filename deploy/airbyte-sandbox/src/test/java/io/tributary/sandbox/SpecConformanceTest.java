package io.tributary.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every operation the sandbox serves, on both prefixes, checked against the official spec by {@link
 * ApiClient}. Every other test class is checked the same way; this one makes sure each operation
 * and each response shape is covered, and that the validator does catch violations.
 */
class SpecConformanceTest extends SandboxTestBase {

    @Test
    void everyOperationConformsOnBothPrefixes() {
        sandbox.addConnection("stripe → postgres", ConnectionScript.hangForever());
        UUID conn =
                sandbox.connection("shop → postgres")
                        .loadsShopData()
                        .script(
                                ConnectionScript.succeedAfter(Duration.ofMillis(50), 3)
                                        .withResetDuration(Duration.ofMillis(50)))
                        .add();
        for (String base : new String[] {sandbox.baseUrl(), sandbox.cloudBaseUrl()}) {
            ApiClient client = new ApiClient(base);
            assertThat(client.get("/health").status()).isEqualTo(200);
            assertThat(client.token(CLIENT_ID, CLIENT_SECRET, true).status()).isEqualTo(200);
            client.login(CLIENT_ID, CLIENT_SECRET);
            assertThat(client.get("/workspaces", Map.of("limit", "5")).status()).isEqualTo(200);
            assertThat(
                            client.get(
                                            "/connections",
                                            Map.of(
                                                    "workspaceIds",
                                                    sandbox.workspace().id().toString()))
                                    .status())
                    .isEqualTo(200);
            assertThat(client.get("/connections/" + conn).status()).isEqualTo(200);
            assertThat(client.get("/workspaces/" + sandbox.workspace().id()).status())
                    .isEqualTo(200);
            SandboxConnection info = sandbox.connectionInfo(conn);
            for (String kind : new String[] {"sources", "destinations"}) {
                ApiClient.Reply list =
                        client.get(
                                "/" + kind,
                                Map.of(
                                        "workspaceIds", sandbox.workspace().id().toString(),
                                        "includeDeleted", "false",
                                        "limit", "1",
                                        "offset", "0"));
                assertThat(list.status()).isEqualTo(200);
                assertThat(list.json().get("data")).hasSize(1);
                assertThat(list.json().get("next").asText()).contains("offset=1");
            }
            JsonNode source = client.get("/sources/" + info.sourceId()).json();
            assertThat(source.get("name").asText()).isEqualTo("shop");
            assertThat(source.get("sourceType").asText()).isEqualTo("postgres");
            assertThat(source.at("/configuration/password").isMissingNode()).isTrue();
            JsonNode destination = client.get("/destinations/" + info.destinationId()).json();
            assertThat(destination.get("name").asText()).isEqualTo("postgres");
            assertThat(destination.at("/configuration/schema").asText()).isEqualTo("public");
            for (String missing : new String[] {"/sources/", "/destinations/", "/workspaces/"}) {
                ApiClient.Reply r = client.get(missing + UUID.randomUUID());
                assertThat(r.status()).as(missing).isEqualTo(404);
                assertThat(r.json().get("title").asText()).isEqualTo("resource-not-found");
            }

            ApiClient.Reply created = client.createJob(conn, "sync");
            assertThat(created.status()).isEqualTo(200);
            long id = created.json().get("jobId").asLong();
            api = client;
            awaitStatus(id, "succeeded");
            assertThat(
                            client.get(
                                            "/jobs",
                                            Map.of(
                                                    "connectionId", conn.toString(),
                                                    "status", "succeeded",
                                                    "jobType", "sync",
                                                    "createdAtStart", "2020-01-01T00:00:00Z",
                                                    "updatedAtEnd", "2999-01-01T00:00:00Z",
                                                    "orderBy", "updatedAt|DESC",
                                                    "limit", "1",
                                                    "offset", "0"))
                                    .status())
                    .isEqualTo(200);
            long hanging = sandbox.startJobOutside(conn);
            assertThat(client.delete("/jobs/" + hanging).status()).isEqualTo(200);
            for (String type : new String[] {"reset", "clear"}) {
                ApiClient.Reply r = client.createJob(conn, type);
                assertThat(r.status()).isEqualTo(200);
                awaitStatus(r.json().get("jobId").asLong(), "succeeded");
            }
        }
    }

    @Test
    void theValidatorRejectsWhatTheSpecForbids() {
        String badJob = "{\"jobId\":\"one\",\"status\":\"done\",\"jobType\":\"sync\"}";
        assertThatThrownBy(
                        () ->
                                SpecValidator.check(
                                        "GET",
                                        "/jobs/1",
                                        Map.of(),
                                        null,
                                        null,
                                        200,
                                        "application/json",
                                        badJob,
                                        true))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("spec violation");
        assertThatThrownBy(
                        () ->
                                SpecValidator.check(
                                        "GET",
                                        "/jobs",
                                        Map.of("limit", "101"),
                                        null,
                                        null,
                                        200,
                                        "application/json",
                                        "{\"data\":[]}",
                                        true))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(
                        () ->
                                SpecValidator.check(
                                        "GET",
                                        "/connections/" + UUID.randomUUID(),
                                        Map.of(),
                                        null,
                                        null,
                                        200,
                                        "application/json",
                                        "{\"connectionId\":\"x\"}",
                                        true))
                .as("required ConnectionResponse fields are enforced")
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(
                        () ->
                                SpecValidator.check(
                                        "GET",
                                        "/sources/" + UUID.randomUUID(),
                                        Map.of(),
                                        null,
                                        null,
                                        200,
                                        "application/json",
                                        "{\"sourceId\":\"x\",\"name\":\"s\"}",
                                        true))
                .as("required SourceResponse fields are enforced")
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void theConfigurationApiShapesRejectWhatConfigYamlForbids() {
        String job =
                "{\"job\":{\"id\":1,\"configType\":\"%s\",\"configId\":\"c\",\"createdAt\":1,"
                        + "\"updatedAt\":1,\"status\":\"succeeded\"},\"attempts\":[{\"attempt\":"
                        + "{\"id\":0,\"status\":\"succeeded\",\"createdAt\":1,\"updatedAt\":1,"
                        + "\"streamStats\":[%s]}}]}";
        String stream = "{\"streamName\":\"orders\",\"stats\":{\"recordsCommitted\":1}}";
        String jobRequest = "{\"id\":1}";
        configAnswer("/v1/jobs/get", jobRequest, job.formatted("sync", stream));
        assertThatThrownBy(
                        () ->
                                configAnswer(
                                        "/v1/jobs/get", jobRequest, job.formatted("reset", stream)))
                .as("the public API's job type is not a JobConfigType")
                .hasMessageContaining("shape violation");
        assertThatThrownBy(
                        () ->
                                configAnswer(
                                        "/v1/jobs/get",
                                        jobRequest,
                                        job.formatted("sync", "{\"stats\":{}}")))
                .as("a stream stat needs its streamName")
                .hasMessageContaining("streamName");
        String connection = "{\"connectionId\":\"" + UUID.randomUUID() + "\"}";
        assertThatThrownBy(() -> configAnswer("/v1/connections/get", connection, connection))
                .as("required ConnectionRead fields are enforced")
                .hasMessageContaining("syncCatalog");
    }

    private static void configAnswer(String path, String request, String answer) {
        SpecValidator.checkConfigApi(path, request, 200, "application/json", answer, true);
    }
}
