package io.tributary.monitor.airbyte;

/**
 * A definite refusal by Airbyte (a 4xx other than 429): retrying the same call changes nothing.
 * {@link #problemType()} is the last segment of Airbyte's problem {@code type} (for example {@code
 * try-again-later}, {@code state-conflict}, {@code resource-not-found}).
 */
public class AirbyteApiException extends RuntimeException {
    private final int status;
    private final String problemType;

    public AirbyteApiException(int status, String problemType, String message) {
        super(message);
        this.status = status;
        this.problemType = problemType == null ? "" : problemType;
    }

    public int status() {
        return status;
    }

    public String problemType() {
        return problemType;
    }

    /** The 409 Airbyte answers when a sync already runs on the connection. */
    public boolean isTryAgainLater() {
        return status == 409 && problemType.endsWith("try-again-later");
    }
}
