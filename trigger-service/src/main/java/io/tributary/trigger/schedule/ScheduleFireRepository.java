package io.tributary.trigger.schedule;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The {@code schedule_fire} table. */
@ApplicationScoped
public class ScheduleFireRepository
        implements PanacheRepositoryBase<ScheduleFireEntity, ScheduleFireEntity.Key> {

    /** Records a fire; false when it was recorded before (by this or another instance). */
    boolean record(String scheduleId, Instant fireTime, boolean misfire, List<String> requestIds) {
        return getEntityManager()
                        .createNativeQuery(
                                "insert into schedule_fire (schedule_id, fire_time, misfire,"
                                        + " request_ids) values (?1, ?2, ?3, ?4)"
                                        + " on conflict do nothing")
                        .setParameter(1, scheduleId)
                        .setParameter(2, fireTime)
                        .setParameter(3, misfire)
                        .setParameter(4, String.join(",", requestIds))
                        .executeUpdate()
                == 1;
    }
}
