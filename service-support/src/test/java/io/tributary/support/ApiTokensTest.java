package io.tributary.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiTokensTest {
    record T(String token, Scope scope) implements ApiConfig.Token {}

    @Test
    void shortTokensAreRefusedWithoutShowingThem() {
        assertThatThrownBy(
                        () ->
                                new ApiTokens(
                                        Map.of("ci", new T("short-secret", Scope.READ)), "/api"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tributary.api.tokens.ci.token")
                .hasMessageNotContaining("short-secret");
    }

    @Test
    void protectsThePrefixOnly() {
        ApiTokens tokens = new ApiTokens(Map.of(), "/api");
        assertThat(tokens.protects("/api")).isTrue();
        assertThat(tokens.protects("/api/hooks")).isTrue();
        assertThat(tokens.protects("api/hooks")).isTrue();
        assertThat(tokens.protects("/apix")).isFalse();
        assertThat(tokens.protects("/webhooks/a")).isFalse();
        assertThat(tokens.authenticate("anything-at-all-here")).isEmpty();
    }

    @Test
    void scopes() {
        assertThat(Scope.READ.allows("GET")).isTrue();
        assertThat(Scope.READ.allows("POST")).isFalse();
        assertThat(Scope.WRITE.allows("DELETE")).isTrue();
    }
}
