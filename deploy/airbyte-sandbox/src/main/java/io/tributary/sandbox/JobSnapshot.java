package io.tributary.sandbox;

import java.time.Instant;
import java.util.UUID;

/**
 * An immutable view of one simulated job, as a test would inspect it.
 *
 * @param rowsSynced null until the first attempt reports stats, as in Airbyte
 * @param bytesSynced null until the first attempt reports stats
 * @param attempts number of attempts started so far
 * @param errorMessage the failure reason of a failed job, otherwise null
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
        String errorMessage) {}
