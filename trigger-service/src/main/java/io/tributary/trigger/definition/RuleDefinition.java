package io.tributary.trigger.definition;

import io.tributary.events.EventType;
import io.tributary.events.JobType;
import io.tributary.events.Topics;
import io.tributary.support.ApiException;
import io.tributary.support.cel.Condition;
import io.tributary.support.cel.Conditions;
import java.util.ArrayList;
import java.util.List;

/**
 * An event rule: when one of {@code eventTypes} arrives for one of {@code sourceConnectionIds} and
 * the optional {@code condition} holds, request {@code jobType} syncs of {@code
 * targetConnectionIds}.
 *
 * @param eventTypes e.g. {@code sync.succeeded} (or the full {@code io.tributary.sync.succeeded})
 * @param condition a CEL condition ({@link Conditions#EVENTS}: {@code data.rowsSynced > 0}); null:
 *     every event of the types and sources
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

    /** The compiled condition, or null when every event of the types and sources matches. */
    public Condition compiledCondition() {
        return condition == null ? null : Conditions.EVENTS.compile(condition);
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
        return new RuleDefinition(
                id,
                types,
                Ids.requireConnections("sourceConnectionIds", sourceConnectionIds),
                ConditionField.check("condition", condition, Conditions.EVENTS),
                Ids.requireConnections("targetConnectionIds", targetConnectionIds),
                jobType == null ? JobType.SYNC : jobType,
                isEnabled());
    }
}
