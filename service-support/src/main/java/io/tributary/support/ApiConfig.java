package io.tributary.support;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;

/**
 * API tokens: {@code tributary.api.tokens.<name>.token=<secret>} and {@code
 * tributary.api.tokens.<name>.scope=read|write} (env: {@code TRIBUTARY_API_TOKENS__<NAME>__TOKEN}).
 * The name identifies the caller (it is what gets logged, never the token).
 */
@ConfigMapping(prefix = "tributary.api")
public interface ApiConfig {

    /** Tokens by caller name; none configured means every {@code /api} call answers 401. */
    Map<String, Token> tokens();

    /** Paths under this prefix need a bearer token. */
    @WithDefault("/api")
    String pathPrefix();

    interface Token {
        /** The bearer token itself; at least {@value ApiTokens#MIN_TOKEN_LENGTH} characters. */
        String token();

        @WithDefault("read")
        Scope scope();
    }
}
