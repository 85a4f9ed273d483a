package io.tributary.support;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.SecurityContext;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks bearer tokens. Only SHA-256 digests of the configured tokens are kept; a presented token
 * is hashed and compared with every digest in constant time, so neither timing nor an early exit
 * tells which prefix or which token was close.
 */
@ApplicationScoped
public class ApiTokens {
    /** Shorter tokens are refused at start: they could be guessed. */
    public static final int MIN_TOKEN_LENGTH = 16;

    private final List<Entry> entries = new ArrayList<>();
    private final String pathPrefix;

    private record Entry(String name, Scope scope, byte[] digest) {}

    @Inject
    public ApiTokens(ApiConfig config) {
        this(config.tokens(), config.pathPrefix());
    }

    ApiTokens(Map<String, ApiConfig.Token> tokens, String pathPrefix) {
        this.pathPrefix = pathPrefix;
        tokens.forEach(
                (name, token) -> {
                    if (token.token() == null || token.token().length() < MIN_TOKEN_LENGTH) {
                        throw new IllegalStateException(
                                "tributary.api.tokens."
                                        + name
                                        + ".token must have at least "
                                        + MIN_TOKEN_LENGTH
                                        + " characters");
                    }
                    entries.add(new Entry(name, token.scope(), Secrets.sha256(token.token())));
                });
    }

    /** The caller a token belongs to, empty when it matches none. */
    public Optional<ApiCaller> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = Secrets.sha256(token);
        Entry found = null;
        for (Entry e : entries) {
            // No early exit: every digest is compared.
            if (MessageDigest.isEqual(presented, e.digest) && found == null) {
                found = e;
            }
        }
        return found == null
                ? Optional.empty()
                : Optional.of(new ApiCaller(found.name, found.scope));
    }

    /** True when the path needs a token. */
    public boolean protects(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        return p.equals(pathPrefix) || p.startsWith(pathPrefix + "/");
    }

    /** The caller of a request that went through the filter, empty for unprotected paths. */
    public static Optional<ApiCaller> caller(SecurityContext context) {
        return context != null && context.getUserPrincipal() instanceof ApiCaller
                ? Optional.of((ApiCaller) context.getUserPrincipal())
                : Optional.empty();
    }

    static boolean isRead(String method) {
        String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
        return m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS");
    }
}
