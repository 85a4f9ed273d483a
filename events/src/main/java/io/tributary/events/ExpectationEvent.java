package io.tributary.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;

/**
 * Data of {@code io.tributary.expectation.missed} and {@code .recovered} on {@code
 * tributary.expectation.events}, key {@code expectationId}: a promise about a connection or a
 * transform (freshness, deadline or volume) that the notifier-service judged broken, or kept again.
 *
 * @param subjectKind {@code connection} or {@code transform}
 * @param subjectId the connection id or the transform name
 * @param promise {@code freshness}, {@code deadline} or {@code volume}; the matching fields below
 *     say its terms ({@code every}; {@code cron} and {@code timeZone}; {@code minRows}, {@code
 *     fraction} and {@code history})
 * @param description the promise in words, e.g. "succeeds at least every 6h"
 * @param deadline when the promise had to be kept (freshness: the last success plus {@code every};
 *     deadline: the cron fire time; volume: the end of the sync judged)
 * @param lastKeptAt the last success that kept it, when there was one
 * @param lateBy missed: from the deadline to the judgement; recovered: from the deadline to the
 *     success that kept it again
 * @param observedAt when the notifier-service judged it
 * @param rowsSynced volume: the rows of the sync judged
 * @param medianRows volume: the median of the previous successful syncs it was compared with
 * @param threshold volume: the fewest rows that would have kept it
 * @param jobId volume: the Airbyte job judged
 * @param correlationId the correlation id of the event that kept the promise again or broke it
 *     (volume), when there is one
 * @param message one line for people saying what happened
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExpectationEvent(
        String expectationId,
        String name,
        String subjectKind,
        String subjectId,
        String promise,
        String every,
        String cron,
        String timeZone,
        Long minRows,
        Double fraction,
        Integer history,
        String description,
        ExpectationStatus status,
        Instant deadline,
        Instant lastKeptAt,
        Duration lateBy,
        Instant observedAt,
        Long rowsSynced,
        Long medianRows,
        Long threshold,
        Long jobId,
        String correlationId,
        String message) {

    /** The ce_type matching {@link #status()}. */
    public EventType ceType() {
        if (status == null) {
            throw new IllegalStateException("status is not set");
        }
        return EventType.expectation(status);
    }
}
