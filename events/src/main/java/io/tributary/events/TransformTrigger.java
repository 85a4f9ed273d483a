package io.tributary.events;

import java.util.List;

/**
 * What started a transform run.
 *
 * @param kind sync (its upstream syncs landed), schedule, manual or event
 * @param syncJobIds the Airbyte jobs whose success started the run (empty otherwise)
 * @param connectionIds the upstream connections those jobs belong to
 */
public record TransformTrigger(
        TransformTriggerKind kind, List<Long> syncJobIds, List<String> connectionIds) {

    public TransformTrigger {
        syncJobIds = syncJobIds == null ? List.of() : List.copyOf(syncJobIds);
        connectionIds = connectionIds == null ? List.of() : List.copyOf(connectionIds);
    }
}
