package io.tributary.support;

/** What a token may do: {@code read} (GET, HEAD, OPTIONS) or {@code write} (everything). */
public enum Scope {
    READ,
    WRITE;

    /** True when this scope allows the HTTP method. */
    public boolean allows(String method) {
        return this == WRITE || ApiTokens.isRead(method);
    }
}
