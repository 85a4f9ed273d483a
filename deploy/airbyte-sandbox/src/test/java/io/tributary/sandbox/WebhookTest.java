package io.tributary.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookTest extends SandboxTestBase {

    /** A real HTTP receiver, as sync-monitor-service's notification endpoint would be. */
    private HttpServer receiver;

    private final List<Map.Entry<Map<String, List<String>>, JsonNode>> received =
            new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext(
                "/airbyte/notifications/secret",
                exchange -> {
                    String body =
                            new String(
                                    exchange.getRequestBody().readAllBytes(),
                                    StandardCharsets.UTF_8);
                    received.add(
                            Map.entry(
                                    Map.copyOf(exchange.getRequestHeaders()),
                                    ApiClient.JSON.readTree(body)));
                    exchange.sendResponseHeaders(200, -1);
                    exchange.close();
                });
        receiver.start();
        sandbox.setWebhookUrl(
                "http://127.0.0.1:"
                        + receiver.getAddress().getPort()
                        + "/airbyte/notifications/secret");
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void successfulSyncPostsTheRealPayloadOnce() {
        UUID conn =
                sandbox.connection("stripe → postgres")
                        .script(
                                ConnectionScript.succeedAfter(Duration.ofMillis(100), 89)
                                        .withBytes(1000))
                        .add();
        long jobId = api.createJob(conn, "sync").json().get("jobId").asLong();
        awaitStatus(jobId, "succeeded");
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);

        var delivery = received.get(0);
        assertThat(delivery.getKey().keySet())
                .as("unsigned: no signature or auth header")
                .noneMatch(
                        h ->
                                h.toLowerCase().contains("signature")
                                        || h.equalsIgnoreCase("authorization"));
        JsonNode body = delivery.getValue();
        assertThat(body.get("text").asText())
                .contains("stripe → postgres")
                .contains("Job ID: " + jobId);
        assertThat(body.at("/blocks/0/text/text").asText()).startsWith("Sync completed: <");
        assertThat(body.at("/blocks/1/fields/0/text").asText()).isEqualTo("*Source:*");
        JsonNode data = body.get("data");
        assertThat(data.get("jobId").asLong()).isEqualTo(jobId);
        assertThat(data.get("success").asBoolean()).isTrue();
        assertThat(data.at("/connection/id").asText()).isEqualTo(conn.toString());
        assertThat(data.at("/connection/name").asText()).isEqualTo("stripe → postgres");
        assertThat(data.at("/source/name").asText()).isEqualTo("stripe");
        assertThat(data.at("/destination/name").asText()).isEqualTo("postgres");
        assertThat(data.at("/workspace/id").asText())
                .isEqualTo(sandbox.workspace().id().toString());
        assertThat(data.get("recordsCommitted").asLong()).isEqualTo(89);
        assertThat(data.get("recordsEmitted").asLong()).isEqualTo(89);
        assertThat(data.get("bytesEmitted").asLong()).isEqualTo(1000);
        assertThat(data.get("bytesEmittedFormatted").asText()).isEqualTo("1000 B");
        assertThat(data.get("errorMessage").isNull()).isTrue();
        assertThat(data.get("startedAt").asText())
                .isEqualTo(api.get("/jobs/" + jobId).json().get("startTime").asText());
        assertThat(data.get("finishedAt").asText())
                .isEqualTo(api.get("/jobs/" + jobId).json().get("lastUpdatedAt").asText());
        assertThat(data.fieldNames())
                .toIterable()
                .contains(
                        "workspace",
                        "connection",
                        "source",
                        "destination",
                        "jobId",
                        "success",
                        "startedAt",
                        "finishedAt",
                        "bytesEmitted",
                        "bytesCommitted",
                        "recordsEmitted",
                        "recordsCommitted",
                        "recordsFilteredOut",
                        "bytesFilteredOut",
                        "errorMessage",
                        "errorType",
                        "errorOrigin",
                        "durationInSeconds",
                        "durationFormatted",
                        "bytesEmittedFormatted",
                        "bytesCommittedFormatted");
        assertThat(received).as("one POST, answered 200").hasSize(1);
    }

    @Test
    void failedSyncPostsTheFailureShape() {
        UUID conn =
                sandbox.addConnection(
                        "s → d",
                        ConnectionScript.failAfter(Duration.ofMillis(100), "Something failed"));
        long jobId = api.createJob(conn, "sync").json().get("jobId").asLong();
        awaitStatus(jobId, "failed");
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
        JsonNode body = received.get(0).getValue();
        assertThat(body.get("text").asText()).contains("just failed").contains("Something failed");
        assertThat(body.at("/blocks/0/text/text").asText()).startsWith("Sync failure occurred: <");
        assertThat(body.at("/blocks/2/text/text").asText())
                .isEqualTo("*Failure reason:*\n\n```\n[system_error] Something failed\n```\n");
        assertThat(body.at("/data/success").asBoolean()).isFalse();
        assertThat(body.at("/data/errorMessage").asText()).isEqualTo("Something failed");
        assertThat(body.at("/data/errorType").asText()).isEqualTo("system_error");
        assertThat(body.at("/data/jobId").asLong()).isEqualTo(jobId);
    }

    @Test
    void cancelledJobsResetsAndClearsSendNothing() throws Exception {
        UUID conn =
                sandbox.addConnection(
                        "s → d",
                        ConnectionScript.hangForever().withResetDuration(Duration.ofMillis(50)));
        long sync = api.createJob(conn, "sync").json().get("jobId").asLong();
        api.delete("/jobs/" + sync);
        long reset = api.createJob(conn, "reset").json().get("jobId").asLong();
        awaitStatus(reset, "succeeded");
        long clear = api.createJob(conn, "clear").json().get("jobId").asLong();
        awaitStatus(clear, "succeeded");
        // A sync that succeeds afterwards proves the hook works and that nothing came before it.
        sandbox.script(conn, ConnectionScript.succeedAfter(Duration.ofMillis(50), 1));
        long last = api.createJob(conn, "sync").json().get("jobId").asLong();
        awaitStatus(last, "succeeded");
        await().atMost(Duration.ofSeconds(5)).until(() -> !received.isEmpty());
        // Any stray notification would arrive within this window: it must stay at one.
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> received.size() == 1);
        assertThat(received.get(0).getValue().at("/data/jobId").asLong()).isEqualTo(last);
    }

    @Test
    void workspaceShowsTheConfiguredWebhook() {
        JsonNode ws = api.get("/workspaces").json().at("/data/0/notifications");
        assertThat(ws.at("/success/webhook/enabled").asBoolean()).isTrue();
        assertThat(ws.at("/failure/webhook/url").asText()).isEqualTo(sandbox.webhookUrl());
    }
}
