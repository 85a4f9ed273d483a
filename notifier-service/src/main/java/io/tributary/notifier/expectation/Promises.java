package io.tributary.notifier.expectation;

/**
 * The three promises an expectation can hold, exactly one per expectation. As written and as shown:
 * the service normalizes them (defaults filled in, durations and zones in canonical form).
 */
public final class Promises {
    private Promises() {}

    /** "Succeeds at least every {@code every}" (an ISO-8601 duration such as {@code PT6H}). */
    public record Freshness(String every) {}

    /**
     * "By each fire time of {@code cron} (5 fields, or 6 with seconds first) in {@code timeZone}
     * (IANA, default UTC), it has succeeded since the previous one."
     */
    public record Deadline(String cron, String timeZone) {}

    /**
     * A successful sync below {@code minRows}, or below {@code fraction} of the median of the last
     * {@code history} successful syncs, is an anomaly; zero rows after non-zero history always is.
     * Connections only.
     */
    public record Volume(Long minRows, Double fraction, Integer history) {}
}
