package io.tributary.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An immutable view of one simulated job, as a test would inspect it.
 *
 * @param rowsSynced null until the first attempt reports stats, as in Airbyte
 * @param bytesSynced null until the first attempt reports stats
 * @param attempts number of attempts started so far
 * @param errorMessage the failure reason of a failed job, otherwise null
 * @param streamStats per stream of the connection: zero until the job succeeds, then what it
 *     committed (they sum to rowsSynced and bytesSynced)
 * @param attemptHistory the attempts, oldest first, as the Configuration API shows them
 */
public record JobSnapshot(
        long jobId,
        UUID connectionId,
        JobType jobType,
        JobStatus status,
        Instant createdAt,
        Instant updatedAt,
        Long rowsSynced,
        Long bytesSynced,
        int attempts,
        String errorMessage,
        List<StreamStats> streamStats,
        List<AttemptSnapshot> attemptHistory) {}
