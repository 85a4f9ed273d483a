package io.tributary.notifier.expectation;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;

/**
 * An expectation as the API shows it: its definition and where it stands.
 *
 * @param nextDeadlineAt when it is judged next; null for volume, and for a missed freshness promise
 *     (the next success sets it)
 * @param missedAt when the current miss was raised; null unless missed
 */
public record ExpectationView(
        @JsonUnwrapped Expectation expectation,
        String state,
        Instant lastKeptAt,
        Instant nextDeadlineAt,
        Instant missedAt) {

    static ExpectationView of(ExpectationEntity e) {
        return new ExpectationView(
                e.toExpectation(), e.state, e.lastKeptAt, e.nextDeadlineAt, e.missedAt);
    }
}
