package io.tributary.support;

import java.security.Principal;

/**
 * The authenticated caller of an {@code /api} request: the configured token name and its scope.
 * Available from {@code SecurityContext#getUserPrincipal()} (cast) or {@link ApiTokens#caller}.
 */
public record ApiCaller(String name, Scope scope) implements Principal {
    @Override
    public String getName() {
        return name;
    }
}
