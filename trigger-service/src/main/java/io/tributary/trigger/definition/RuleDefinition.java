package io.tributary.trigger.definition;

import io.tributary.events.EventType;
import io.tributary.events.JobType;
import io.tributary.events.Topics;
import io.tributary.support.ApiException;
import io.tributary.trigger.rule.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * An event rule: when one of {@code eventTypes} arrives for one of {@code sourceConnectionIds} and
 * the optional {@code condition} holds ({@code rowsSynced > 0}), request {@code jobType} syncs of
 * {@code targetConnectionIds}.
 *
 * @param eventTypes e.g. {@code sync.succeeded} (or the full {@code io.tributary.sync.succeeded})
 */
public record RuleDefinition(
        String id,
        List<String> eventTypes,
        List<String> sourceConnectionIds,
        String condition,
        List<String> targetConnectionIds,
        JobType jobType,
        Boolean enabled) {

    public boolean isEnabled() {
        return enabled == null || enabled;
    }

    public RuleDefinition validated() {
        Ids.requireDefinitionId(id);
        if (eventTypes == null || eventTypes.isEmpty()) {
            throw ApiException.badRequest(
                    "eventTypes must name at least one of sync.started, sync.succeeded, sync.failed, sync.cancelled");
        }
        List<String> types = new ArrayList<>();
        for (String t : eventTypes) {
            String full = t != null && !t.startsWith("io.tributary.") ? "io.tributary." + t : t;
            EventType type =
                    EventType.fromType(full)
                            .filter(e -> e.topic().equals(Topics.SYNC_EVENTS))
                            .orElseThrow(
                                    () ->
                                            ApiException.badRequest(
                                                    "eventTypes: '"
                                                            + t
                                                            + "' is not an event of "
                                                            + Topics.SYNC_EVENTS));
            if (!types.contains(type.type())) {
                types.add(type.type());
            }
        }
        if (condition != null) {
            try {
                Condition.parse(condition);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("condition: " + e.getMessage());
            }
        }
        return new RuleDefinition(
                id,
                types,
                Ids.requireConnections("sourceConnectionIds", sourceConnectionIds),
                condition == null || condition.isBlank() ? null : condition.trim(),
                Ids.requireConnections("targetConnectionIds", targetConnectionIds),
                jobType == null ? JobType.SYNC : jobType,
                isEnabled());
    }
}
