package io.tributary.events;

import java.time.Instant;

/**
 * Data of {@code io.tributary.sync.requested} on {@code tributary.sync.requests}, key {@code
 * connectionId}.
 *
 * @param requestId UUID of this request (the sync-monitor reports it back in {@code requestIds})
 * @param connectionId Airbyte connection UUID
 * @param correlationId carried along the whole chain (sync → transform → notification); the
 *     request's own id when nothing upstream caused it
 */
public record SyncRequested(
        String requestId,
        String connectionId,
        JobType jobType,
        Instant requestedAt,
        Trigger trigger,
        String correlationId) {}
