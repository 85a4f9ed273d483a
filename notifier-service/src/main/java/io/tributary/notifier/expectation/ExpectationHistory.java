package io.tributary.notifier.expectation;

import java.time.Instant;

/**
 * One event raised about an expectation, as {@code /api/expectations/{id}/history} shows it.
 *
 * @param type {@code missed} or {@code recovered}
 * @param lateBy ISO-8601 duration
 * @param correlationId the run that broke (volume) or kept the promise again, when known
 */
public record ExpectationHistory(
        String eventId,
        String type,
        Instant at,
        Instant deadline,
        Instant lastKeptAt,
        String lateBy,
        String message,
        Long rowsSynced,
        Long medianRows,
        Long threshold,
        Long jobId,
        String correlationId) {

    static ExpectationHistory of(ExpectationHistoryEntity h) {
        return new ExpectationHistory(
                h.eventId,
                h.type,
                h.at,
                h.deadline,
                h.lastKeptAt,
                h.lateBy,
                h.message,
                h.rowsSynced,
                h.medianRows,
                h.threshold,
                h.jobId,
                h.correlationId);
    }
}
