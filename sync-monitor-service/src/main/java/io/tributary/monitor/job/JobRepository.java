package io.tributary.monitor.job;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

@ApplicationScoped
public class JobRepository implements PanacheRepositoryBase<JobEntity, Long> {

    /** Row-lock hint: another replica holding the row makes this one skip it. */
    private static final Map<String, Object> SKIP_LOCKED =
            Map.of("jakarta.persistence.lock.timeout", -2);

    /** The ids of the jobs Airbyte has not ended yet that we track, by connection. */
    public Map<String, Long> activeFor(Collection<String> connectionIds) {
        List<?> rows =
                getEntityManager()
                        .createNativeQuery(
                                "select connection_id, job_id from airbyte_job where phase ="
                                        + " 'active' and connection_id = any(string_to_array(?1,"
                                        + " ','))")
                        .setParameter(1, MonitorState.idList(connectionIds))
                        .getResultList();
        Map<String, Long> active = new HashMap<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            active.put((String) r[0], ((Number) r[1]).longValue());
        }
        return active;
    }

    /** Those of these jobs the monitor tracks (running or ended). */
    public Set<Long> tracked(Collection<Long> jobIds) {
        return jobIds.isEmpty() ? Set.of() : Set.copyOf(among(jobIds, "true"));
    }

    /** Those of these jobs the monitor tracks and Airbyte has not ended. */
    public List<Long> active(Collection<Long> jobIds) {
        return among(jobIds, "phase = 'active'");
    }

    private List<Long> among(Collection<Long> jobIds, String condition) {
        List<?> rows =
                getEntityManager()
                        .createNativeQuery(
                                "select job_id from airbyte_job where "
                                        + condition
                                        + " and job_id = any(cast(string_to_array(?1, ',') as"
                                        + " bigint[]))")
                        .setParameter(1, MonitorState.idList(jobIds))
                        .getResultList();
        return rows.stream().map(r -> ((Number) r).longValue()).toList();
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
     * Locks those of these jobs that are active and that no other worker holds, for update; the
     * others are left out. Load none of them before in the same transaction.
     */
    @SuppressWarnings("unchecked")
    public List<JobEntity> lockActive(Collection<Long> jobIds) {
        return getEntityManager()
                .createNativeQuery(
                        "select * from airbyte_job where phase = 'active'"
                                + " and job_id = any(cast(string_to_array(?1, ',') as bigint[]))"
                                + " order by job_id for update skip locked",
                        JobEntity.class)
                .setParameter(1, MonitorState.idList(jobIds))
                .getResultList();
    }

    /**
     * Locks a job row for update, waiting while a check holds it (one Airbyte call); null when the
     * monitor does not track the job.
     */
    public JobEntity lockWaiting(long jobId) {
        return getEntityManager().find(JobEntity.class, jobId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** An active job whose check is due; {@code pastDeadline}: it is to be cancelled. */
    public record Due(long jobId, boolean pastDeadline) {}

    /** Active jobs whose next check is due, most overdue first. */
    public List<Due> due(Instant now, int limit) {
        return getEntityManager()
                .createQuery(
                        "select j.jobId, j.deadlineAt from JobEntity j"
                                + " where j.phase = 'active' and j.nextCheckAt <= ?1"
                                + " order by j.nextCheckAt",
                        Object[].class)
                .setParameter(1, now)
                .setMaxResults(limit)
                .getResultStream()
                .map(r -> new Due((Long) r[0], !now.isBefore((Instant) r[1])))
                .toList();
    }

    /** Active jobs past their deadline whose check is due (to cancel them), most overdue first. */
    public List<Due> pastDeadline(Instant now, int limit) {
        return getEntityManager()
                .createQuery(
                        "select j.jobId from JobEntity j where j.phase = 'active'"
                                + " and j.nextCheckAt <= ?1 and j.deadlineAt <= ?1"
                                + " order by j.nextCheckAt",
                        Long.class)
                .setParameter(1, now)
                .setMaxResults(limit)
                .getResultStream()
                .map(id -> new Due(id, true))
                .toList();
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
