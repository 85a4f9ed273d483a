package io.tributary.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthTest {

    private AirbyteSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private AirbyteSandbox start(AirbyteSandbox.Builder b) {
        sandbox = b.build().start();
        return sandbox;
    }

    private static JsonNode claims(String jwt) throws Exception {
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        return ApiClient.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    }

    @Test
    void issuesJwtShapedTokensForJsonAndFormBodies() throws Exception {
        start(AirbyteSandbox.builder().auth(SandboxAuth.clientCredentials("id", "secret")));
        ApiClient api = new ApiClient(sandbox.baseUrl());

        for (boolean form : new boolean[] {false, true}) {
            ApiClient.Reply r = api.token("id", "secret", form);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.contentType()).startsWith("application/json");
            JsonNode body = r.json();
            assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
            assertThat(body.get("expires_in").asLong()).isEqualTo(180);
            JsonNode claims = claims(body.get("access_token").asText());
            assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(180);
            assertThat(claims.get("sub").asText()).isEqualTo("id");
            assertThat(
                            new ApiClient(sandbox.baseUrl())
                                    .bearer(body.get("access_token").asText())
                                    .get("/workspaces")
                                    .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void refusesWrongClientCredentials() {
        start(AirbyteSandbox.builder().auth(SandboxAuth.clientCredentials("id", "secret")));
        ApiClient.Reply r = new ApiClient(sandbox.baseUrl()).token("id", "wrong", false);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("errorId").asText()).isNotBlank();
    }

    @Test
    void missingOrForgedTokenGetsTheInvalidApiKeyProblem() {
        start(AirbyteSandbox.builder());
        ApiClient api = new ApiClient(sandbox.baseUrl());
        for (String token : new String[] {null, "not-a-jwt", "a.b.c"}) {
            ApiClient.Reply r = api.bearer(token).get("/jobs");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.contentType()).isEqualTo("application/json");
            assertThat(r.json())
                    .isEqualTo(
                            ApiClient.JSON
                                    .createObjectNode()
                                    .put("status", 401)
                                    .put(
                                            "type",
                                            "https://reference.airbyte.com/reference/errors#invalid-api-key")
                                    .put("title", "invalid-api-key")
                                    .put(
                                            "detail",
                                            "The API key in the Authorization header is invalid."));
        }
    }

    @Test
    void tokenDiesAtItsRealLifetimeWhateverExpiresInSays() throws Exception {
        start(
                AirbyteSandbox.builder()
                        .auth(SandboxAuth.clientCredentials("id", "secret"))
                        .tokenLifetime(Duration.ofSeconds(1))
                        .advertisedExpiresIn(Duration.ofSeconds(900)));
        ApiClient api = new ApiClient(sandbox.baseUrl());
        ApiClient.Reply token = api.token("id", "secret", false);
        assertThat(token.json().get("expires_in").asLong()).isEqualTo(900);
        JsonNode claims = claims(token.json().get("access_token").asText());
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isBetween(1L, 2L);

        api.bearer(token.json().get("access_token").asText());
        assertThat(api.get("/workspaces").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> api.get("/workspaces").status() == 401);
        // A fresh token works again.
        api.login("id", "secret");
        assertThat(api.get("/workspaces").status()).isEqualTo(200);
    }

    @Test
    void revokingAllTokensRejectsEveryIssuedToken() {
        start(AirbyteSandbox.builder().auth(SandboxAuth.clientCredentials("id", "secret")));
        ApiClient a = new ApiClient(sandbox.baseUrl()).login("id", "secret");
        ApiClient b = new ApiClient(sandbox.cloudBaseUrl()).login("id", "secret");
        sandbox.revokeAllTokens();
        assertThat(a.get("/workspaces").status()).isEqualTo(401);
        assertThat(b.get("/workspaces").status()).isEqualTo(401);
        assertThat(a.login("id", "secret").get("/workspaces").status()).isEqualTo(200);
    }

    @Test
    void basicModeNeedsTheRightUserAndPassword() {
        start(AirbyteSandbox.builder().auth(SandboxAuth.basic("airbyte", "password")));
        ApiClient api = new ApiClient(sandbox.baseUrl());
        assertThat(api.get("/connections").status()).isEqualTo(401);
        assertThat(api.basic("airbyte", "nope").get("/connections").status()).isEqualTo(401);
        assertThat(api.basic("airbyte", "password").get("/connections").status()).isEqualTo(200);
        String header =
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        "airbyte:password".getBytes(StandardCharsets.UTF_8));
        assertThat(header).startsWith("Basic ");
    }

    @Test
    void noAuthModeAcceptsAnyCall() {
        start(AirbyteSandbox.builder().auth(SandboxAuth.none()));
        assertThat(new ApiClient(sandbox.baseUrl()).get("/jobs").status()).isEqualTo(200);
        assertThat(new ApiClient(sandbox.cloudBaseUrl()).get("/jobs").status()).isEqualTo(200);
    }
}
