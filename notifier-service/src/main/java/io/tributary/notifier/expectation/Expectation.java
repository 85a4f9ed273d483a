package io.tributary.notifier.expectation;

import io.tributary.notifier.expectation.Promises.Deadline;
import io.tributary.notifier.expectation.Promises.Freshness;
import io.tributary.notifier.expectation.Promises.Volume;
import java.time.Instant;

/**
 * A promise about a subject, validated and normalized, as stored and as the API shows it (it holds
 * no secret). Exactly one of {@code freshness}, {@code deadline}, {@code volume} is set.
 *
 * @param origin {@code api} or {@code file} (declared in the YAML file loaded at start)
 */
public record Expectation(
        String id,
        String name,
        ExpectationSubject subject,
        Freshness freshness,
        Deadline deadline,
        Volume volume,
        boolean enabled,
        String origin,
        Instant createdAt,
        Instant updatedAt) {

    /** {@code freshness}, {@code deadline} or {@code volume}: the column the table keeps. */
    public String promise() {
        return freshness != null ? "freshness" : deadline != null ? "deadline" : "volume";
    }

    /** Equal but for the times: a file entry that changed nothing is not written again. */
    boolean sameDefinition(Expectation other) {
        return withTimes(null, null).equals(other.withTimes(null, null));
    }

    Expectation withTimes(Instant created, Instant updated) {
        return new Expectation(
                id, name, subject, freshness, deadline, volume, enabled, origin, created, updated);
    }
}
