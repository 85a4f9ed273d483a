package io.tributary.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FaultInjectionTest extends SandboxTestBase {

    @Test
    void nextCallsAnswerServerErrorsThenRecover() {
        sandbox.faults().next(2, Fault.status(500)).next(1, Fault.status(503));
        ApiClient.Reply first = api.get("/jobs");
        assertThat(first.status()).isEqualTo(500);
        assertThat(first.json().get("title").asText()).isEqualTo("unexpected-problem");
        assertThat(api.get("/jobs").status()).isEqualTo(500);
        ApiClient.Reply third = api.get("/jobs");
        assertThat(third.status()).isEqualTo(503);
        assertThat(third.json().get("title").asText()).isEqualTo("service-unavailable");
        assertThat(api.get("/jobs").status()).isEqualTo(200);
        assertThat(sandbox.faults().pending()).isZero();
    }

    @Test
    void rateLimitHasNoRetryAfter() {
        sandbox.faults().next(1, Fault.status(429));
        ApiClient.Reply r = api.get("/jobs");
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).isEmpty();
        assertThat(r.body()).isEqualTo("{\"message\":\"You are being rate limited.\"}");
    }

    @Test
    void faultedPostDoesNotStartAJob() {
        UUID conn = sandbox.addConnection("x", ConnectionScript.hangForever());
        sandbox.faults().next(1, Fault.status(502));
        assertThat(api.createJob(conn, "sync").status()).isEqualTo(502);
        assertThat(sandbox.jobs(conn)).isEmpty();
        assertThat(api.createJob(conn, "sync").status()).isEqualTo(200);
    }

    @Test
    void slowCallsAnswerLate() {
        sandbox.faults().next(1, Fault.slow(Duration.ofMillis(700)));
        long start = System.nanoTime();
        assertThat(api.get("/jobs").status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isGreaterThanOrEqualTo(Duration.ofMillis(700));
    }

    @Test
    void droppedConnectionGivesTheClientAnIoError() {
        // POST, because the JDK client silently retries an idempotent GET on a dropped connection.
        UUID conn = sandbox.addConnection("x", ConnectionScript.hangForever());
        sandbox.faults().next(1, Fault.drop());
        assertThatThrownBy(() -> api.createJob(conn, "sync"))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(sandbox.jobs(conn)).isEmpty();
        assertThat(sandbox.calls("POST /jobs", 0)).isEqualTo(1);
        assertThat(api.createJob(conn, "sync").status()).isEqualTo(200);
    }

    @Test
    void endpointFaultsHitOnlyThatEndpoint() {
        UUID conn = sandbox.addConnection("x", ConnectionScript.hangForever());
        sandbox.faults().next(1, Fault.drop(), "POST /jobs");
        assertThat(api.get("/jobs").status()).as("another endpoint").isEqualTo(200);
        assertThat(api.get("/connections/" + conn).status()).isEqualTo(200);
        assertThat(sandbox.faults().pending()).isEqualTo(1);
        assertThatThrownBy(() -> api.createJob(conn, "sync"))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(sandbox.jobs(conn)).as("a dropped POST creates no job").isEmpty();
        assertThat(sandbox.faults().pending()).isZero();
        assertThat(api.createJob(conn, "sync").status()).isEqualTo(200);
    }

    @Test
    void windowFaultsHitEveryCallUntilTheWindowEnds() {
        sandbox.faults().during(Duration.ofMillis(800), Fault.status(503));
        for (int i = 0; i < 5; i++) {
            assertThat(api.get("/workspaces").status()).isEqualTo(503);
        }
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(3))
                .until(() -> api.get("/workspaces").status() == 200);
        sandbox.faults().during(Duration.ofMinutes(1), Fault.status(429));
        sandbox.faults().clear();
        assertThat(api.get("/workspaces").status()).isEqualTo(200);
    }

    @Test
    void countsCallsPerEndpointAndStatus() {
        UUID conn = sandbox.addConnection("x", ConnectionScript.hangForever());
        sandbox.resetCounters();
        long id = api.createJob(conn, "sync").json().get("jobId").asLong();
        api.createJob(conn, "sync");
        api.get("/jobs/" + id);
        api.get("/jobs/" + id);
        api.delete("/jobs/" + id);
        api.get("/jobs/999");

        assertThat(sandbox.calls("POST /jobs", 200)).isEqualTo(1);
        assertThat(sandbox.calls("POST /jobs", 409)).isEqualTo(1);
        assertThat(sandbox.calls("POST /jobs")).isEqualTo(2);
        assertThat(sandbox.calls("GET /jobs/{jobId}", 200)).isEqualTo(2);
        assertThat(sandbox.calls("GET /jobs/{jobId}", 404)).isEqualTo(1);
        assertThat(sandbox.callCounts())
                .containsEntry("DELETE /jobs/{jobId} 200", 1L)
                .doesNotContainKey("POST /applications/token 200");
        sandbox.resetCounters();
        assertThat(sandbox.callCounts()).isEmpty();
    }
}
