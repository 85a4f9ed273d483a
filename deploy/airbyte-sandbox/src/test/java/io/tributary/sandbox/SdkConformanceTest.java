package io.tributary.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client no one here wrote holds the sandbox to the truth: the official Python SDK ({@code
 * airbyte-api}, pinned in {@code sdk/requirements.txt}, installed by {@code sdk/ensure-venv.sh}
 * during the build) calls every public operation on both prefixes and parses each answer into its
 * typed models. A field it cannot read fails this test with the operation and the SDK's error.
 */
class SdkConformanceTest extends SandboxTestBase {

    private static final Path SDK = Path.of("sdk");
    private static final Path PYTHON = SDK.resolve(".venv/bin/python");

    @Test
    void theOfficialSdkReadsEveryAnswer() throws Exception {
        UUID shop =
                sandbox.connection("shop → postgres")
                        .loadsShopData()
                        .script(ConnectionScript.hangForever())
                        .add();
        // Lists hold every kind of source: a shop's Postgres, an API source, an inactive one.
        sandbox.addConnection(
                "stripe → postgres", ConnectionScript.succeedAfter(Duration.ofMillis(50), 7));
        sandbox.connection("legacy crm → postgres").inactive().add();

        long started = System.nanoTime();
        Result run = runCheck(shop, sandbox.baseUrl(), sandbox.cloudBaseUrl());
        System.out.printf(
                "SDK check: %d ms (Python with the SDK's import, both prefixes)%n",
                (System.nanoTime() - started) / 1_000_000);

        assertThat(run.exitCode()).as("the SDK check failed:\n%s", run.output()).isZero();
        assertThat(run.output()).contains("every answer parsed");
        assertThat(sandbox.jobs(shop))
                .extracting(JobSnapshot::status)
                .containsExactly(JobStatus.CANCELLED, JobStatus.CANCELLED);
        for (String endpoint :
                List.of(
                        "GET /workspaces",
                        "GET /workspaces/{workspaceId}",
                        "GET /connections",
                        "GET /connections/{connectionId}",
                        "GET /sources",
                        "GET /sources/{sourceId}",
                        "GET /destinations",
                        "GET /destinations/{destinationId}",
                        "POST /jobs",
                        "GET /jobs/{jobId}",
                        "GET /jobs",
                        "DELETE /jobs/{jobId}",
                        "GET /health")) {
            assertThat(sandbox.calls(endpoint, 200))
                    .as("the SDK called %s once per prefix", endpoint)
                    .isEqualTo(2);
        }
        assertThat(sandbox.calls("POST /applications/token", 200)).isGreaterThanOrEqualTo(2);
    }

    record Result(int exitCode, String output) {}

    /** Runs sdk/sdk_check.py with the venv's Python (no shell), output and errors together. */
    private static Result runCheck(UUID connection, String... bases)
            throws IOException, InterruptedException {
        assertThat(Files.isExecutable(PYTHON))
                .as(
                        "%s is missing: the build creates it (sdk/ensure-venv.sh, run in"
                                + " generate-test-resources); run that script by hand to run this"
                                + " test alone",
                        PYTHON.toAbsolutePath())
                .isTrue();
        List<String> command =
                new java.util.ArrayList<>(
                        List.of(
                                PYTHON.toString(),
                                SDK.resolve("sdk_check.py").toString(),
                                CLIENT_ID,
                                CLIENT_SECRET,
                                connection.toString()));
        command.addAll(List.of(bases));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the SDK check did not end within 120 s");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
