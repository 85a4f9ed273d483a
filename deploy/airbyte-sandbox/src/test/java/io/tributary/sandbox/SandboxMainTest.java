package io.tributary.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxMainTest {

    @Test
    void flagsConfigureTheSandboxAndDemoConnectionsExist() {
        Map<String, String> flags =
                Map.of(
                        "port", "0",
                        "host", "127.0.0.1",
                        "client-id", "me",
                        "client-secret", "pw",
                        "token-lifetime", "180",
                        "expires-in", "900",
                        "time-compression", "10");
        try (AirbyteSandbox sandbox = SandboxMain.build(flags::get).start()) {
            SandboxMain.addDemoConnections(sandbox);
            ApiClient api = new ApiClient(sandbox.baseUrl());
            assertThat(api.token("me", "pw", false).json().get("expires_in").asLong())
                    .isEqualTo(900);
            api.login("me", "pw");
            assertThat(api.get("/connections").json().get("data")).hasSize(4);
            assertThat(
                            api.get("/connections/" + SandboxMain.INACTIVE)
                                    .json()
                                    .get("status")
                                    .asText())
                    .isEqualTo("inactive");
            assertThat(sandbox.timeCompression()).isEqualTo(10.0);
        }
    }

    @Test
    void basicAuthFlag() {
        Map<String, String> flags = Map.of("port", "0", "host", "127.0.0.1", "auth", "basic");
        try (AirbyteSandbox sandbox = SandboxMain.build(flags::get).start()) {
            assertThat(sandbox.auth().mode()).isEqualTo(SandboxAuth.Mode.BASIC);
            assertThat(
                            new ApiClient(sandbox.baseUrl())
                                    .basic("sandbox-client", "sandbox-secret")
                                    .get("/jobs")
                                    .status())
                    .isEqualTo(200);
        }
    }
}
