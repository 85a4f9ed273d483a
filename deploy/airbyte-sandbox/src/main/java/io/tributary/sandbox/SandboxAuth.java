package io.tributary.sandbox;

import java.util.Objects;

/** How the sandbox authenticates API calls: OAuth2 client credentials, HTTP basic, or nothing. */
public final class SandboxAuth {

    /** The three modes Airbyte installs are seen with. */
    public enum Mode {
        CLIENT_CREDENTIALS,
        BASIC,
        NONE
    }

    private final Mode mode;
    private final String id;
    private final String secret;

    private SandboxAuth(Mode mode, String id, String secret) {
        this.mode = mode;
        this.id = id;
        this.secret = secret;
    }

    /** Bearer tokens from {@code POST /applications/token} for this client id and secret. */
    public static SandboxAuth clientCredentials(String clientId, String clientSecret) {
        return new SandboxAuth(
                Mode.CLIENT_CREDENTIALS,
                Objects.requireNonNull(clientId),
                Objects.requireNonNull(clientSecret));
    }

    /** {@code Authorization: Basic} on every call, as older self-managed installs do. */
    public static SandboxAuth basic(String user, String password) {
        return new SandboxAuth(
                Mode.BASIC, Objects.requireNonNull(user), Objects.requireNonNull(password));
    }

    /** No authentication at all (an unsecured install). */
    public static SandboxAuth none() {
        return new SandboxAuth(Mode.NONE, null, null);
    }

    public Mode mode() {
        return mode;
    }

    /** Client id or basic-auth user; null in {@link Mode#NONE}. */
    public String id() {
        return id;
    }

    /** Client secret or basic-auth password; null in {@link Mode#NONE}. */
    public String secret() {
        return secret;
    }
}
