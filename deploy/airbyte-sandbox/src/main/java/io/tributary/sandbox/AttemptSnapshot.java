package io.tributary.sandbox;

import java.time.Instant;
import java.util.List;

/**
 * One attempt of a job, as the Configuration API's {@code AttemptRead} shows it.
 *
 * @param number 0 for the first attempt (Airbyte's attempt number, shown as {@code id})
 * @param status {@code running}, {@code failed} or {@code succeeded}
 * @param endedAt null while running
 * @param streamStats per stream; zero until the attempt ends
 */
public record AttemptSnapshot(
        int number,
        String status,
        Instant createdAt,
        Instant updatedAt,
        Instant endedAt,
        List<StreamStats> streamStats) {

    public long records() {
        return streamStats.stream().mapToLong(StreamStats::records).sum();
    }

    public long bytes() {
        return streamStats.stream().mapToLong(StreamStats::bytes).sum();
    }
}
