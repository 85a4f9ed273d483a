package io.tributary.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Configuration API's {@code connections/get} and {@code jobs/get}: every exchange is checked
 * against the shapes read from Airbyte's config.yaml ({@link SpecValidator#checkConfigApi}); the
 * values are checked here, stream by stream.
 */
class ConfigApiTest extends SandboxTestBase {

    private ApiClient config;

    @BeforeEach
    void configClient() {
        ApiClient token = new ApiClient(sandbox.baseUrl());
        String bearer =
                token.token(CLIENT_ID, CLIENT_SECRET, false).json().get("access_token").asText();
        config = ApiClient.configApi(sandbox.configApiUrl()).bearer(bearer);
    }

    private JsonNode connectionGet(UUID id) {
        ApiClient.Reply r = config.post("/connections/get", "{\"connectionId\":\"" + id + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private JsonNode jobGet(long id) {
        ApiClient.Reply r = config.post("/jobs/get", "{\"id\":" + id + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static List<String> names(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.at(field).asText()));
        return out;
    }

    @Test
    void theShopCatalogHasItsThreeTablesInRawShop() {
        UUID shop = sandbox.connection("shop → postgres").loadsShopData().add();
        JsonNode c = connectionGet(shop);

        assertThat(c.get("connectionId").asText()).isEqualTo(shop.toString());
        assertThat(c.get("name").asText()).isEqualTo("shop → postgres");
        assertThat(c.get("status").asText()).isEqualTo("active");
        assertThat(c.get("namespaceDefinition").asText()).isEqualTo("source");
        assertThat(c.get("sourceId").asText())
                .isEqualTo(sandbox.connectionInfo(shop).sourceId().toString());
        JsonNode streams = c.at("/syncCatalog/streams");
        assertThat(names(streams, "/stream/name"))
                .containsExactly("customers", "orders", "payments");
        assertThat(names(streams, "/stream/namespace")).containsOnly("raw_shop");
        JsonNode orders = streams.get(1);
        assertThat(orders.at("/stream/jsonSchema/properties/customer_id/type").asText())
                .isEqualTo("integer");
        assertThat(orders.at("/stream/jsonSchema/properties/updated_at/format").asText())
                .isEqualTo("date-time");
        assertThat(orders.at("/stream/supportedSyncModes").toString())
                .isEqualTo("[\"full_refresh\",\"incremental\"]");
        assertThat(orders.at("/config/selected").asBoolean()).isTrue();
        assertThat(orders.at("/config/syncMode").asText()).isEqualTo("incremental");
        assertThat(orders.at("/config/destinationSyncMode").asText()).isEqualTo("append_dedup");
        assertThat(orders.at("/config/aliasName").asText()).isEqualTo("orders");
    }

    @Test
    void aConnectionWithoutStreamsHasOneDefaultStream() {
        UUID stripe = sandbox.addConnection("stripe → postgres", ConnectionScript.hangForever());
        JsonNode streams = connectionGet(stripe).at("/syncCatalog/streams");
        assertThat(streams).hasSize(1);
        assertThat(streams.at("/0/stream/name").asText()).isEqualTo("stripe");
        assertThat(streams.at("/0/stream").has("namespace")).isFalse();
        assertThat(streams.at("/0/config/syncMode").asText()).isEqualTo("full_refresh");
        assertThat(connectionGet(stripe).get("namespaceDefinition").asText())
                .isEqualTo("destination");
    }

    @Test
    void onlyTheScriptedStreamReportsRecords() {
        UUID shop =
                sandbox.connection("shop → postgres")
                        .loadsShopData()
                        .script(
                                ConnectionScript.succeedAfter(Duration.ofMillis(50), 0)
                                        .withStreamRecords(Map.of("orders", 42L)))
                        .add();
        long jobId = api.createJob(shop, "sync").json().get("jobId").asLong();
        JsonNode publicJob = awaitStatus(jobId, "succeeded");
        assertThat(publicJob.get("rowsSynced").asLong()).isEqualTo(42);
        assertThat(publicJob.get("bytesSynced").asLong()).isEqualTo(4200);

        JsonNode info = jobGet(jobId);
        assertThat(info.at("/job/id").asLong()).isEqualTo(jobId);
        assertThat(info.at("/job/configType").asText()).isEqualTo("sync");
        assertThat(info.at("/job/configId").asText()).isEqualTo(shop.toString());
        assertThat(info.at("/job/status").asText()).isEqualTo("succeeded");
        assertThat(info.at("/job/updatedAt").asLong())
                .isGreaterThanOrEqualTo(info.at("/job/createdAt").asLong());
        JsonNode attempt = info.at("/attempts/0/attempt");
        assertThat(info.get("attempts")).hasSize(1);
        assertThat(attempt.get("id").asLong()).isZero();
        assertThat(attempt.get("status").asText()).isEqualTo("succeeded");
        assertThat(attempt.get("recordsSynced").asLong()).isEqualTo(42);
        assertThat(attempt.get("bytesSynced").asLong()).isEqualTo(4200);
        assertThat(attempt.has("endedAt")).isTrue();
        JsonNode stats = attempt.get("streamStats");
        assertThat(names(stats, "/streamName")).containsExactly("customers", "orders", "payments");
        assertThat(names(stats, "/streamNamespace")).containsOnly("raw_shop");
        assertThat(names(stats, "/stats/recordsCommitted")).containsExactly("0", "42", "0");
        assertThat(names(stats, "/stats/bytesCommitted")).containsExactly("0", "4200", "0");
        assertThat(names(stats, "/stats/recordsEmitted")).containsExactly("0", "42", "0");
    }

    @Test
    void rowsAreSharedAcrossStreamsAndFailedAttemptsCommitNothing() {
        UUID flaky =
                sandbox.connection("shop → postgres")
                        .loadsShopData()
                        .script(
                                ConnectionScript.incompleteThenSucceed(
                                                1, Duration.ofMillis(50), 100)
                                        .withBytes(1000))
                        .add();
        long jobId = api.createJob(flaky, "sync").json().get("jobId").asLong();
        awaitStatus(jobId, "succeeded");

        JsonNode attempts = jobGet(jobId).get("attempts");
        assertThat(names(attempts, "/attempt/status")).containsExactly("failed", "succeeded");
        assertThat(names(attempts, "/attempt/id")).containsExactly("0", "1");
        assertThat(attempts.at("/0/attempt/recordsSynced").asLong()).isZero();
        JsonNode stats = attempts.at("/1/attempt/streamStats");
        assertThat(names(stats, "/stats/recordsCommitted")).containsExactly("34", "33", "33");
        assertThat(names(stats, "/stats/bytesCommitted")).containsExactly("340", "330", "330");
        assertThat(sandbox.job(jobId).streamStats())
                .extracting(StreamStats::records)
                .containsExactly(34L, 33L, 33L);
    }

    @Test
    void resetsAreResetConnectionJobsAndQueuedJobsArePending() {
        UUID conn =
                sandbox.addConnection(
                        "stripe → postgres",
                        ConnectionScript.hangForever().withQueuedFor(Duration.ofSeconds(30)));
        long queued = api.createJob(conn, "sync").json().get("jobId").asLong();
        awaitStatus(queued, "queued");
        JsonNode info = jobGet(queued);
        assertThat(info.at("/job/status").asText()).isEqualTo("pending");
        assertThat(info.get("attempts")).isEmpty();

        sandbox.script(
                conn, ConnectionScript.hangForever().withResetDuration(Duration.ofMillis(50)));
        long reset = api.createJob(conn, "reset").json().get("jobId").asLong();
        awaitStatus(reset, "succeeded");
        assertThat(jobGet(reset).at("/job/configType").asText()).isEqualTo("reset_connection");
        assertThat(jobGet(queued).at("/job/status").asText()).isEqualTo("cancelled");
    }

    @Test
    void unknownIdsAnswerTheConfigurationApisNotFound() {
        ApiClient.Reply conn =
                config.post("/connections/get", "{\"connectionId\":\"" + UUID.randomUUID() + "\"}");
        assertThat(conn.status()).isEqualTo(404);
        assertThat(conn.json().get("message").asText())
                .startsWith("Could not find configuration for STANDARD_SYNC");
        assertThat(conn.json().get("exceptionClassName").asText())
                .endsWith("IdNotFoundKnownException");

        ApiClient.Reply job = config.post("/jobs/get", "{\"id\":4242}");
        assertThat(job.status()).isEqualTo(404);
        assertThat(job.json().get("message").asText())
                .isEqualTo("Could not find job with id: 4242");
        assertThat(job.json().get("id").asText()).isEqualTo("4242");

        ApiClient.Reply bad = config.postInvalid("/jobs/get", "{}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().get("message").asText()).isEqualTo("id is required");
    }

    @Test
    void sameAuthFaultsAndCountersAsThePublicApi() {
        UUID conn = sandbox.addConnection("stripe → postgres", ConnectionScript.hangForever());
        String body = "{\"connectionId\":\"" + conn + "\"}";

        ApiClient anonymous = ApiClient.configApi(sandbox.configApiUrl());
        assertThat(anonymous.post("/connections/get", body).status()).isEqualTo(401);

        sandbox.faults().next(1, Fault.status(503), "POST /v1/connections/get");
        assertThat(config.post("/connections/get", body).status()).isEqualTo(503);
        assertThat(config.post("/connections/get", body).status()).isEqualTo(200);

        assertThat(sandbox.calls("POST /v1/connections/get", 200)).isEqualTo(1);
        assertThat(sandbox.calls("POST /v1/connections/get", 503)).isEqualTo(1);
        assertThat(sandbox.calls("POST /v1/connections/get", 401)).isEqualTo(1);
        assertThat(sandbox.calls("POST /v1/jobs/get")).isZero();
    }
}
