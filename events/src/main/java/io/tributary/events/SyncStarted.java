package io.tributary.events;

import java.time.Instant;
import java.util.List;

/**
 * Data of {@code io.tributary.sync.started} on {@code tributary.sync.events}, key {@code
 * connectionId}.
 *
 * @param jobId Airbyte job id (Airbyte job ids are integers)
 * @param requestIds the sync requests this job serves (several when requests were coalesced)
 * @param attached true when the requests joined a job that was already running
 */
public record SyncStarted(
        String connectionId,
        long jobId,
        JobType jobType,
        List<String> requestIds,
        boolean attached,
        Instant startedAt,
        String correlationId) {

    public SyncStarted {
        // Immutable and never null, so consumers can iterate without checks.
        requestIds = requestIds == null ? List.of() : List.copyOf(requestIds);
    }
}
