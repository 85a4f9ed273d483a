package io.tributary.sandbox;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What the next jobs of a connection do. Durations are scripted (virtual) time: the sandbox divides
 * them by its time-compression factor. Instances are immutable; the {@code with*} methods return
 * copies.
 */
public final class ConnectionScript {

    /** The end a sync job comes to. */
    public enum Outcome {
        SUCCEED,
        FAIL,
        INCOMPLETE_THEN_SUCCEED,
        HANG,
        BAD_DATA
    }

    static final Duration DEFAULT_PENDING = Duration.ofMillis(100);
    static final Duration DEFAULT_RESET = Duration.ofSeconds(1);

    private final Outcome outcome;
    private final Duration attemptDuration;
    private final long rows;
    private final Long bytes;
    private final String errorMessage;
    private final int failedAttempts;
    private final Duration pendingFor;
    private final Duration queuedFor;
    private final Duration resetDuration;
    private final Map<String, Long> streamRecords;

    private ConnectionScript(
            Outcome outcome,
            Duration attemptDuration,
            long rows,
            Long bytes,
            String errorMessage,
            int failedAttempts,
            Duration pendingFor,
            Duration queuedFor,
            Duration resetDuration,
            Map<String, Long> streamRecords) {
        if (attemptDuration.isNegative() || rows < 0 || failedAttempts < 0) {
            throw new IllegalArgumentException("durations, rows and attempts must not be negative");
        }
        this.outcome = outcome;
        this.attemptDuration = attemptDuration;
        this.rows = rows;
        this.bytes = bytes;
        this.errorMessage = errorMessage;
        this.failedAttempts = failedAttempts;
        this.pendingFor = pendingFor;
        this.queuedFor = queuedFor;
        this.resetDuration = resetDuration;
        this.streamRecords = streamRecords;
    }

    private static ConnectionScript of(
            Outcome outcome, Duration d, long rows, String message, int failedAttempts) {
        return new ConnectionScript(
                outcome,
                Objects.requireNonNull(d),
                rows,
                null,
                message,
                failedAttempts,
                DEFAULT_PENDING,
                Duration.ZERO,
                DEFAULT_RESET,
                null);
    }

    /** Runs for {@code after}, then succeeds having synced {@code rows} rows. */
    public static ConnectionScript succeedAfter(Duration after, long rows) {
        return of(Outcome.SUCCEED, after, rows, null, 0);
    }

    /** Runs for {@code after}, then fails with {@code message} as the failure reason. */
    public static ConnectionScript failAfter(Duration after, String message) {
        return of(Outcome.FAIL, after, 0, Objects.requireNonNull(message), 0);
    }

    /**
     * Fails {@code failedAttempts} attempts (the job shows {@code incomplete} between them), then
     * succeeds on the next one. Each attempt lasts {@code perAttempt}.
     */
    public static ConnectionScript incompleteThenSucceed(
            int failedAttempts, Duration perAttempt, long rows) {
        return of(
                Outcome.INCOMPLETE_THEN_SUCCEED,
                perAttempt,
                rows,
                "Attempt failed: source timed out",
                failedAttempts);
    }

    /** Stays {@code running} until cancelled or completed by hand. */
    public static ConnectionScript hangForever() {
        return of(Outcome.HANG, Duration.ZERO, 0, null, 0);
    }

    /**
     * Succeeds after {@code after}, but a connection that loads data writes rows a dbt test rejects
     * (see README). Without data loading it behaves like {@link #succeedAfter}.
     */
    public static ConnectionScript badData(Duration after, long rows) {
        return of(Outcome.BAD_DATA, after, rows, null, 0);
    }

    /** Bytes to report; by default 100 bytes a row. */
    public ConnectionScript withBytes(long bytes) {
        return edit(d -> d.bytes = bytes);
    }

    /** Rows committed before the end (for a failing script: what the failed job reports). */
    public ConnectionScript withRows(long rows) {
        return edit(d -> d.rows = rows);
    }

    /** How long a new job stays {@code pending} (default 100 ms). */
    public ConnectionScript withPendingFor(Duration pending) {
        Objects.requireNonNull(pending);
        return edit(d -> d.pendingFor = pending);
    }

    /** How long a job stays {@code queued} after {@code pending} (default 0: never queued). */
    public ConnectionScript withQueuedFor(Duration queued) {
        Objects.requireNonNull(queued);
        return edit(d -> d.queuedFor = queued);
    }

    /** How long a reset or clear job runs (default 1 s). */
    public ConnectionScript withResetDuration(Duration reset) {
        Objects.requireNonNull(reset);
        return edit(d -> d.resetDuration = reset);
    }

    /**
     * Records per stream name for the next jobs (for example only {@code orders} changed): the
     * streams not named report 0, and {@code rowsSynced} is the sum. With data loading, only the
     * tables with records are written, and the job reports the rows really written.
     */
    public ConnectionScript withStreamRecords(Map<String, Long> records) {
        Map<String, Long> copy = new LinkedHashMap<>(records);
        if (copy.values().stream().anyMatch(n -> n == null || n < 0)) {
            throw new IllegalArgumentException("stream records must not be negative: " + records);
        }
        return edit(d -> d.streamRecords = Map.copyOf(copy));
    }

    /** A mutable copy, so that each wither changes one field without repeating the others. */
    private static final class Draft {
        Outcome outcome;
        Duration attemptDuration;
        long rows;
        Long bytes;
        String errorMessage;
        int failedAttempts;
        Duration pendingFor;
        Duration queuedFor;
        Duration resetDuration;
        Map<String, Long> streamRecords;
    }

    private ConnectionScript edit(Consumer<Draft> change) {
        Draft d = new Draft();
        d.outcome = outcome;
        d.attemptDuration = attemptDuration;
        d.rows = rows;
        d.bytes = bytes;
        d.errorMessage = errorMessage;
        d.failedAttempts = failedAttempts;
        d.pendingFor = pendingFor;
        d.queuedFor = queuedFor;
        d.resetDuration = resetDuration;
        d.streamRecords = streamRecords;
        change.accept(d);
        return new ConnectionScript(
                d.outcome,
                d.attemptDuration,
                d.rows,
                d.bytes,
                d.errorMessage,
                d.failedAttempts,
                d.pendingFor,
                d.queuedFor,
                d.resetDuration,
                d.streamRecords);
    }

    public Outcome outcome() {
        return outcome;
    }

    public Duration attemptDuration() {
        return attemptDuration;
    }

    /** The scripted rows: the sum of the per-stream records when those are set. */
    public long rows() {
        return streamRecords != null
                ? streamRecords.values().stream().mapToLong(Long::longValue).sum()
                : rows;
    }

    public long bytes() {
        return bytes != null ? bytes : rows() * 100;
    }

    public String errorMessage() {
        return errorMessage;
    }

    public int failedAttempts() {
        return failedAttempts;
    }

    public Duration pendingFor() {
        return pendingFor;
    }

    public Duration queuedFor() {
        return queuedFor;
    }

    public Duration resetDuration() {
        return resetDuration;
    }

    /** The per-stream records set by {@link #withStreamRecords}, or null. */
    public Map<String, Long> streamRecords() {
        return streamRecords;
    }

    /**
     * What a succeeded sync reports per stream: the scripted records per stream, or else {@link
     * #rows()} shared evenly (the first streams take the remainder); bytes shared in proportion to
     * records (100 a record by default), so both sums match the job's totals.
     */
    List<StreamStats> statsFor(List<SandboxStream> streams) {
        List<Long> records = new ArrayList<>();
        long total = rows();
        for (int i = 0; i < streams.size(); i++) {
            if (streamRecords != null) {
                records.add(streamRecords.getOrDefault(streams.get(i).name(), 0L));
            } else {
                records.add(total / streams.size() + (i < total % streams.size() ? 1 : 0));
            }
        }
        return withBytes(streams, records, bytes());
    }

    /**
     * Stats for {@code records} per stream, sharing {@code totalBytes} in proportion; the rounding
     * remainder goes to the last stream with records (to the first stream when none has any).
     */
    static List<StreamStats> withBytes(
            List<SandboxStream> streams, List<Long> records, long totalBytes) {
        long totalRecords = records.stream().mapToLong(Long::longValue).sum();
        long[] bytes = new long[streams.size()];
        long given = 0;
        int last = 0;
        for (int i = 0; i < streams.size(); i++) {
            if (records.get(i) > 0) {
                bytes[i] =
                        BigInteger.valueOf(totalBytes)
                                .multiply(BigInteger.valueOf(records.get(i)))
                                .divide(BigInteger.valueOf(totalRecords))
                                .longValueExact();
                given += bytes[i];
                last = i;
            }
        }
        if (!streams.isEmpty()) {
            bytes[last] += totalBytes - given;
        }
        List<StreamStats> out = new ArrayList<>();
        for (int i = 0; i < streams.size(); i++) {
            SandboxStream s = streams.get(i);
            out.add(new StreamStats(s.namespace(), s.name(), records.get(i), bytes[i]));
        }
        return out;
    }

    @Override
    public String toString() {
        return outcome.name().toLowerCase()
                + "{attempt="
                + attemptDuration
                + ", rows="
                + rows
                + ", failedAttempts="
                + failedAttempts
                + (errorMessage != null ? ", message=" + errorMessage : "")
                + (streamRecords != null ? ", streamRecords=" + streamRecords : "")
                + "}";
    }
}
