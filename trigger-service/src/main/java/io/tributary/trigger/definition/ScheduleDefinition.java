package io.tributary.trigger.definition;

import io.tributary.events.JobType;
import io.tributary.support.ApiException;
import io.tributary.support.schedule.Cron;
import java.util.List;

/**
 * A cron schedule: "sync these connections every 6 hours in Europe/Paris".
 *
 * @param cron Unix cron (5 fields) or with seconds first (6 fields)
 * @param timeZone an IANA zone id, default UTC
 */
public record ScheduleDefinition(
        String id,
        String cron,
        String timeZone,
        List<String> connectionIds,
        JobType jobType,
        Boolean enabled,
        MisfirePolicy misfirePolicy) {

    public boolean isEnabled() {
        return enabled == null || enabled;
    }

    /** The same schedule, enabled or disabled. */
    public ScheduleDefinition withEnabled(boolean on) {
        return new ScheduleDefinition(
                id, cron, timeZone, connectionIds, jobType, on, misfirePolicy);
    }

    public Cron parsedCron() {
        return Cron.parse(cron, timeZone == null ? "UTC" : timeZone);
    }

    public ScheduleDefinition validated() {
        Ids.requireDefinitionId(id);
        try {
            parsedCron();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return new ScheduleDefinition(
                id,
                cron.trim(),
                timeZone == null ? "UTC" : timeZone,
                Ids.requireConnections("connectionIds", connectionIds),
                jobType == null ? JobType.SYNC : jobType,
                isEnabled(),
                misfirePolicy == null ? MisfirePolicy.FIRE_ONCE : misfirePolicy);
    }
}
