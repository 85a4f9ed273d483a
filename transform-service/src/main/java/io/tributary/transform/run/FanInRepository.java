package io.tributary.transform.run;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;

/**
 * The fan-in state of {@code when: all} transforms ({@code transform_fan_in}); call in a
 * transaction.
 */
@ApplicationScoped
public class FanInRepository implements PanacheRepositoryBase<FanInEntity, FanInEntity.Key> {

    /**
     * Records that a connection succeeded for a fan-in transform (a connection landing again keeps
     * its latest job and adds its correlation id and its ending); returns the state after, locked,
     * the connection that landed first first.
     */
    public List<FanInEntity> record(String transformName, SyncEnding ending, String correlationId) {
        getSession()
                .createNativeQuery(
                        "insert into transform_fan_in (transform_name, connection_id, job_id,"
                                + " correlation_id, correlation_ids, endings)"
                                + " values (?1, ?2, ?3, ?4, ?5, cast(?6 as jsonb))"
                                + " on conflict (transform_name, connection_id) do update set"
                                + " job_id = excluded.job_id,"
                                + " endings = transform_fan_in.endings || excluded.endings,"
                                + " correlation_id = excluded.correlation_id,"
                                + " correlation_ids = "
                                + RunRepository.appendDistinct(
                                        "transform_fan_in.correlation_ids",
                                        "excluded.correlation_ids")
                                + ", succeeded_at = now()",
                        Object.class)
                .setParameter(1, transformName, String.class)
                .setParameter(2, ending.connectionId(), String.class)
                .setParameter(3, ending.jobId(), Long.class)
                .setParameter(4, correlationId, String.class)
                .setParameter(
                        5,
                        correlationId == null ? new String[0] : new String[] {correlationId},
                        String[].class)
                .setParameter(6, SyncEnding.toJson(List.of(ending)), String.class)
                .executeUpdate();
        return find("transformName = ?1 order by succeededAt, connectionId", transformName)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .list();
    }

    /** Forgets the fan-in state once a run was queued for it. */
    public void clear(String transformName) {
        delete("transformName", transformName);
    }
}
