package io.tributary.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Data of {@code io.tributary.sync.succeeded}, {@code .failed} and {@code .cancelled} on {@code
 * tributary.sync.events}, key {@code connectionId}: the {@link SyncStarted} fields plus the
 * outcome.
 *
 * <p>{@code jobId}, {@code startedAt} and {@code duration} are null on a failure where no Airbyte
 * job ran (reasons {@code rejected}, {@code connection_not_found}, {@code connection_inactive},
 * {@code validation_failed}). {@code reason} and {@code message} are set only on failure. Row and
 * byte counts are null when Airbyte did not report them (always set on success).
 *
 * <p>{@code streams}: what the job committed per stream, when the sync-monitor could read it
 * (self-managed Airbyte with its Configuration API); null (absent) otherwise, e.g. on Airbyte
 * Cloud. Added in contract 0.3.0.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SyncFinished(
        String connectionId,
        Long jobId,
        JobType jobType,
        List<String> requestIds,
        boolean attached,
        Instant startedAt,
        String correlationId,
        SyncStatus status,
        Instant finishedAt,
        Duration duration,
        Long rowsSynced,
        Long bytesSynced,
        FailureReason reason,
        String message,
        List<StreamStats> streams) {

    public SyncFinished {
        requestIds = requestIds == null ? List.of() : List.copyOf(requestIds);
        streams = streams == null ? null : List.copyOf(streams);
    }

    /** The data before {@code streams} was added (kept so existing callers compile). */
    public SyncFinished(
            String connectionId,
            Long jobId,
            JobType jobType,
            List<String> requestIds,
            boolean attached,
            Instant startedAt,
            String correlationId,
            SyncStatus status,
            Instant finishedAt,
            Duration duration,
            Long rowsSynced,
            Long bytesSynced,
            FailureReason reason,
            String message) {
        this(
                connectionId,
                jobId,
                jobType,
                requestIds,
                attached,
                startedAt,
                correlationId,
                status,
                finishedAt,
                duration,
                rowsSynced,
                bytesSynced,
                reason,
                message,
                null);
    }

    /** This ending with what the job committed per stream (null: unknown). */
    public SyncFinished withStreams(List<StreamStats> perStream) {
        return new SyncFinished(
                connectionId,
                jobId,
                jobType,
                requestIds,
                attached,
                startedAt,
                correlationId,
                status,
                finishedAt,
                duration,
                rowsSynced,
                bytesSynced,
                reason,
                message,
                perStream);
    }

    /** The ce_type matching {@link #status()}. */
    public EventType ceType() {
        if (status == null) {
            throw new IllegalStateException("status is not set");
        }
        return EventType.syncFinished(status);
    }

    /**
     * The end of a job that was announced as {@code started}.
     *
     * @param reason and {@code message}: only for {@link SyncStatus#FAILED}, else null
     */
    public static SyncFinished of(
            SyncStarted started,
            SyncStatus status,
            Instant finishedAt,
            Long rowsSynced,
            Long bytesSynced,
            FailureReason reason,
            String message) {
        return new SyncFinished(
                started.connectionId(),
                started.jobId(),
                started.jobType(),
                started.requestIds(),
                started.attached(),
                started.startedAt(),
                started.correlationId(),
                status,
                finishedAt,
                between(started.startedAt(), finishedAt),
                rowsSynced,
                bytesSynced,
                reason,
                message);
    }

    /** A successful end of a job. */
    public static SyncFinished succeeded(
            SyncStarted started, Instant finishedAt, long rowsSynced, long bytesSynced) {
        return of(started, SyncStatus.SUCCEEDED, finishedAt, rowsSynced, bytesSynced, null, null);
    }

    /** A request that failed before any Airbyte job ran (rejected, connection not found...). */
    public static SyncFinished failedWithoutJob(
            SyncRequested request, Instant finishedAt, FailureReason reason, String message) {
        return new SyncFinished(
                request.connectionId(),
                null,
                request.jobType(),
                List.of(request.requestId()),
                false,
                null,
                request.correlationId(),
                SyncStatus.FAILED,
                finishedAt,
                null,
                null,
                null,
                reason,
                message);
    }

    private static Duration between(Instant start, Instant end) {
        return start == null || end == null ? null : Duration.between(start, end);
    }
}
