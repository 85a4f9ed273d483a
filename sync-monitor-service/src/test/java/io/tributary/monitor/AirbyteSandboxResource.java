package io.tributary.monitor;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tributary.sandbox.AirbyteSandbox;
import io.tributary.sandbox.SandboxAuth;
import java.time.Duration;
import java.util.Map;

/**
 * An in-process Airbyte sandbox for the monitor's tests. Its tokens die after 3 s while {@code
 * expires_in} claims 15 minutes (as Airbyte Cloud once did), so every test also runs with tokens
 * expiring during its jobs. Time compression 10: a scripted 10 s take 1 s.
 */
public class AirbyteSandboxResource implements QuarkusTestResourceLifecycleManager {
    static final String CLIENT_ID = "monitor-client";
    static final String CLIENT_SECRET = "monitor-secret-never-logged";
    static final double COMPRESSION = 10;

    private static volatile AirbyteSandbox sandbox;

    /** The running sandbox (tests reach it here). */
    public static AirbyteSandbox sandbox() {
        return sandbox;
    }

    @Override
    public Map<String, String> start() {
        sandbox =
                AirbyteSandbox.builder()
                        .port(0)
                        .auth(SandboxAuth.clientCredentials(CLIENT_ID, CLIENT_SECRET))
                        .tokenLifetime(Duration.ofSeconds(3))
                        .advertisedExpiresIn(Duration.ofSeconds(900))
                        .timeCompression(COMPRESSION)
                        .build()
                        .start();
        return Map.of(
                "tributary.monitor.airbyte.base-url",
                sandbox.baseUrl(),
                "tributary.monitor.airbyte.config-api-url",
                sandbox.configApiUrl(),
                "tributary.monitor.airbyte.client-id",
                CLIENT_ID,
                "tributary.monitor.airbyte.client-secret",
                CLIENT_SECRET);
    }

    @Override
    public void stop() {
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
        }
    }
}
