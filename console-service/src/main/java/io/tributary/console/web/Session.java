package io.tributary.console.web;

import io.tributary.support.Scope;
import java.time.Instant;

/** A signed-in browser: who (the token's name, never the token), what it may do, its CSRF token. */
public record Session(String caller, Scope scope, String csrfToken, Instant expiresAt) {

    public String scopeName() {
        return scope.name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean canAct() {
        return scope == Scope.WRITE;
    }
}
