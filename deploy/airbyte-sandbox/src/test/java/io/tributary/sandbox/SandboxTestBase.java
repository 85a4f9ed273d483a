package io.tributary.sandbox;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** One sandbox per test, with a logged-in client on the self-managed prefix. */
abstract class SandboxTestBase {

    static final String CLIENT_ID = "client-id";
    static final String CLIENT_SECRET = "client-secret";

    AirbyteSandbox sandbox;
    ApiClient api;

    AirbyteSandbox.Builder configure(AirbyteSandbox.Builder builder) {
        return builder;
    }

    @BeforeEach
    void startSandbox() {
        sandbox =
                configure(
                                AirbyteSandbox.builder()
                                        .auth(
                                                SandboxAuth.clientCredentials(
                                                        CLIENT_ID, CLIENT_SECRET)))
                        .build()
                        .start();
        api = new ApiClient(sandbox.baseUrl()).login(CLIENT_ID, CLIENT_SECRET);
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    /** Polls {@code GET /jobs/{id}} until the job shows {@code status}; returns that body. */
    JsonNode awaitStatus(long jobId, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(
                        () -> {
                            last[0] = api.get("/jobs/" + jobId).json();
                            return last[0].get("status").asText().equals(status);
                        });
        return last[0];
    }
}
