package io.tributary.monitor.rest;

import io.tributary.monitor.job.JobEntity;
import io.tributary.monitor.job.SyncRequestEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A job as {@code /api/jobs} shows it. {@code status}: Airbyte's while it runs, Tributary's ending
 * ({@code succeeded}, {@code failed}, {@code cancelled}) once it ended. {@code publishedAt}: when
 * Kafka acknowledged the ending, while the outbox keeps it. {@code cancelRequestedAt} and {@code
 * cancelRequestedBy}: an operator's cancel (by token name), or the deadline's (no name).
 */
public record JobView(
        long jobId,
        String connectionId,
        String jobType,
        String status,
        String airbyteStatus,
        boolean attached,
        Instant createdAt,
        Instant finishedAt,
        Duration duration,
        Long rowsSynced,
        Long bytesSynced,
        String reason,
        String message,
        String detectedBy,
        Instant detectedAt,
        Instant publishedAt,
        Instant cancelRequestedAt,
        String cancelRequestedBy,
        List<RequestView> requests) {

    /** A request a job serves. */
    public record RequestView(
            String requestId,
            Instant requestedAt,
            String triggerKind,
            String triggerId,
            String correlationId,
            Boolean attached) {

        static RequestView of(SyncRequestEntity r) {
            return new RequestView(
                    r.requestId,
                    r.requestedAt,
                    r.triggerKind,
                    r.triggerId,
                    r.correlationId,
                    r.attached);
        }
    }

    static JobView of(JobEntity j, List<SyncRequestEntity> requests, Instant publishedAt) {
        boolean ended = j.isTerminal();
        String status = ended && j.endingStatus != null ? j.endingStatus : j.airbyteStatus;
        return new JobView(
                j.jobId,
                j.connectionId,
                j.jobType,
                status,
                j.airbyteStatus,
                j.attached,
                j.createdAt,
                j.finishedAt,
                j.finishedAt == null ? null : Duration.between(j.createdAt, j.finishedAt),
                j.rowsSynced,
                j.bytesSynced,
                j.endingReason,
                j.endingMessage,
                j.detectedBy,
                j.detectedAt,
                publishedAt,
                j.cancelRequestedAt,
                j.cancelRequestedBy,
                requests == null ? null : requests.stream().map(RequestView::of).toList());
    }
}
