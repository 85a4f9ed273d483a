package io.tributary.monitor.job;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class JobRepository implements PanacheRepositoryBase<JobEntity, Long> {

    /** Row-lock hint: another replica holding the row makes this one skip it. */
    private static final Map<String, Object> SKIP_LOCKED =
            Map.of("jakarta.persistence.lock.timeout", -2);

    /** The id of the connection's job that Airbyte has not ended yet, if we track one. */
    public Optional<Long> activeFor(String connectionId) {
        return getEntityManager()
                .createQuery(
                        "select j.jobId from JobEntity j where j.connectionId = ?1"
                                + " and j.phase = 'active'",
                        Long.class)
                .setParameter(1, connectionId)
                .getResultStream()
                .findFirst();
    }

    /** True when the monitor tracks the job (running or ended). */
    public boolean tracks(long jobId) {
        return count("jobId", jobId) > 0;
    }

    /**
     * Locks a job row for update, or answers empty when another worker holds it (or no such job is
     * tracked). Load nothing of the job before in the same transaction: the row is read as locked.
     */
    public Optional<JobEntity> lock(long jobId) {
        return Optional.ofNullable(
                getEntityManager()
                        .find(JobEntity.class, jobId, LockModeType.PESSIMISTIC_WRITE, SKIP_LOCKED));
    }

    /**
     * Locks a job row for update, waiting while a check holds it (one Airbyte call); null when the
     * monitor does not track the job.
     */
    public JobEntity lockWaiting(long jobId) {
        return getEntityManager().find(JobEntity.class, jobId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Active jobs whose next check is due, most overdue first. */
    public List<Long> due(Instant now, int limit) {
        return getEntityManager()
                .createQuery(
                        "select j.jobId from JobEntity j where j.phase = 'active'"
                                + " and j.nextCheckAt <= ?1 order by j.nextCheckAt",
                        Long.class)
                .setParameter(1, now)
                .setMaxResults(limit)
                .getResultList();
    }

    public long inFlight() {
        return count("phase", JobEntity.ACTIVE);
    }

    /** The oldest time an active job was tracked since, to bound the first list look. */
    public Optional<Instant> oldestActiveTrackedAt() {
        return Optional.ofNullable(
                getEntityManager()
                        .createQuery(
                                "select min(j.trackedAt) from JobEntity j where j.phase = 'active'",
                                Instant.class)
                        .getSingleResult());
    }
}
