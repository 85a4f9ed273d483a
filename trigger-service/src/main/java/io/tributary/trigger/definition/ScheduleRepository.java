package io.tributary.trigger.definition;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The {@code schedule} table. */
@ApplicationScoped
public class ScheduleRepository implements PanacheRepositoryBase<ScheduleEntity, String> {

    /**
     * Enabled schedules due at {@code now}, oldest fire first, locked for this transaction: another
     * instance's tick skips them, so each fire is decided by one instance.
     */
    @SuppressWarnings("unchecked")
    public List<ScheduleEntity> lockDue(Instant now, int limit) {
        return getEntityManager()
                .createNativeQuery(
                        "select * from schedule where enabled and next_fire_at <= ?1"
                                + " order by next_fire_at limit ?2 for update skip locked",
                        ScheduleEntity.class)
                .setParameter(1, now)
                .setParameter(2, limit)
                .getResultList();
    }
}
