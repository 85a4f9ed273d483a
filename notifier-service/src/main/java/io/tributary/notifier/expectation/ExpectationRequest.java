package io.tributary.notifier.expectation;

import io.tributary.notifier.expectation.Promises.Deadline;
import io.tributary.notifier.expectation.Promises.Freshness;
import io.tributary.notifier.expectation.Promises.Volume;

/**
 * An expectation as written by a client or the YAML file: exactly one of {@code freshness}, {@code
 * deadline} and {@code volume}. {@code id} is optional (made by the server when absent); {@code
 * enabled} defaults to true.
 */
public record ExpectationRequest(
        String id,
        String name,
        ExpectationSubject subject,
        Freshness freshness,
        Deadline deadline,
        Volume volume,
        Boolean enabled) {

    /** The same request with another id (the path's, or one derived for a file entry). */
    public ExpectationRequest withId(String newId) {
        return new ExpectationRequest(newId, name, subject, freshness, deadline, volume, enabled);
    }
}
