package io.tributary.transform.run;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.tributary.events.EventJson;
import io.tributary.events.TransformEvent.NodeFailure;
import io.tributary.events.TransformEvent.Summary;
import io.tributary.events.TransformTrigger;
import io.tributary.support.Traces;
import io.tributary.transform.dbt.NodeResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.exception.ConstraintViolationException;

/**
 * The runs and the persisted queue ({@code transform_run}) and their node results. Every decision
 * that must hold across threads and instances is one SQL statement guarded by the database (one
 * queued run per transform, one running run per dbt project), timed by the database's clock. Call
 * inside a transaction.
 */
@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<RunEntity, UUID> {

    /**
     * The result of queueing: the queued run, and whether the trigger joined one already queued.
     */
    public record Enqueued(UUID runId, boolean coalesced) {}

    /**
     * Queues a run of the transform, or merges the trigger into the run already queued for it (its
     * job and connection ids are added, its correlation ids appended, its start is not delayed: the
     * debounce window counts from the first trigger; a trigger with no delay makes it due now). The
     * current trace (the trigger being handled) is kept with a new run, for its events.
     *
     * @param correlationIds the trigger's correlation ids, the first one being the run's {@code
     *     correlationId} unless the queued run it joins already has one
     */
    public Enqueued enqueue(
            String transformName,
            String projectKey,
            TransformTrigger trigger,
            List<String> correlationIds,
            Duration delay,
            int attempt,
            UUID requeuedFrom,
            List<SyncEnding> endings) {
        String sql =
                "insert into transform_run (run_id, transform_name, project_key, status,"
                        + " trigger_kind, sync_job_ids, connection_ids, correlation_id, attempt,"
                        + " requeued_from, not_before, traceparent, correlation_ids, endings)"
                        + " values (?1, ?2, ?3, 'queued', ?4, ?5, ?6, ?7, ?8, ?9,"
                        + " now() + cast(?10 as double precision) * interval '1 millisecond', ?11, ?12,"
                        + " cast(?13 as jsonb))"
                        + " on conflict (transform_name) where status = 'queued' do update set"
                        // A trigger joining a queued retry makes it a run of that trigger.
                        + " endings = transform_run.endings || excluded.endings,"
                        + " retry_of = null, retry_number = 0,"
                        + " sync_job_ids = (select coalesce(array_agg(distinct j order by j), '{}')"
                        + "   from unnest(transform_run.sync_job_ids || excluded.sync_job_ids) j),"
                        + " connection_ids = (select coalesce(array_agg(distinct c order by c), '{}')"
                        + "   from unnest(transform_run.connection_ids || excluded.connection_ids) c),"
                        + " trigger_count = transform_run.trigger_count + 1,"
                        + " correlation_id = coalesce(transform_run.correlation_id,"
                        + "   excluded.correlation_id),"
                        + " correlation_ids = "
                        + appendDistinct(
                                "transform_run.correlation_ids", "excluded.correlation_ids")
                        + ","
                        + " not_before = least(transform_run.not_before, excluded.not_before),"
                        + " project_key = excluded.project_key,"
                        + " traceparent = coalesce(transform_run.traceparent, excluded.traceparent)"
                        + " returning run_id, (xmax = 0) as inserted";
        Object[] row =
                (Object[])
                        getSession()
                                .createNativeQuery(sql, Object[].class)
                                .setParameter(1, UUID.randomUUID(), UUID.class)
                                .setParameter(2, transformName, String.class)
                                .setParameter(3, projectKey, String.class)
                                .setParameter(4, trigger.kind().wire(), String.class)
                                .setParameter(
                                        5, trigger.syncJobIds().toArray(Long[]::new), Long[].class)
                                .setParameter(
                                        6,
                                        trigger.connectionIds().toArray(String[]::new),
                                        String[].class)
                                .setParameter(
                                        7,
                                        correlationIds.isEmpty() ? null : correlationIds.get(0),
                                        String.class)
                                .setParameter(8, attempt, Integer.class)
                                .setParameter(9, requeuedFrom, UUID.class)
                                .setParameter(10, delay.toMillis(), Long.class)
                                .setParameter(11, Traces.current(), String.class)
                                .setParameter(
                                        12, correlationIds.toArray(String[]::new), String[].class)
                                .setParameter(13, SyncEnding.toJson(endings), String.class)
                                .getSingleResult();
        return new Enqueued((UUID) row[0], !(Boolean) row[1]);
    }

    /**
     * Queues a {@code dbt retry} of a finished run (same trigger, endings and correlation), due
     * after {@code delay}; empty when the transform already has a queued run (it runs first: one
     * queued run per transform).
     */
    public Optional<UUID> enqueueRetry(RunEntity failed, String projectKey, Duration delay) {
        UUID runId = UUID.randomUUID();
        int inserted =
                getSession()
                        .createNativeQuery(
                                "insert into transform_run (run_id, transform_name, project_key,"
                                        + " status, trigger_kind, sync_job_ids, connection_ids,"
                                        + " correlation_id, correlation_ids, endings, traceparent,"
                                        + " retry_of, retry_number, not_before)"
                                        + " select ?1, transform_name, ?2, 'queued', trigger_kind,"
                                        + " sync_job_ids, connection_ids, correlation_id,"
                                        + " correlation_ids, endings, traceparent, run_id,"
                                        + " retry_number + 1,"
                                        + " now() + cast(?3 as double precision) * interval '1 millisecond'"
                                        + " from transform_run where run_id = ?4"
                                        + " on conflict (transform_name) where status = 'queued'"
                                        + " do nothing",
                                Object.class)
                        .setParameter(1, runId, UUID.class)
                        .setParameter(2, projectKey, String.class)
                        .setParameter(3, delay.toMillis(), Long.class)
                        .setParameter(4, failed.runId, UUID.class)
                        .executeUpdate();
        return inserted == 1 ? Optional.of(runId) : Optional.empty();
    }

    /** Makes a queued run a retry of {@code retryOf} (a retry queued again after a restart). */
    public void linkRetry(UUID runId, UUID retryOf, int retryNumber) {
        update("retryOf = ?1, retryNumber = ?2 where runId = ?3", retryOf, retryNumber, runId);
    }

    /** Records what a claimed run executes: its command, selection and why. */
    public void recordSelection(
            UUID runId, String command, String select, String reason, List<String> changed) {
        getSession()
                .createNativeQuery(
                        "update transform_run set command = ?1, select_expr = ?2,"
                                + " selection_reason = ?3, changed_streams = ?4 where run_id = ?5",
                        Object.class)
                .setParameter(1, command, String.class)
                .setParameter(2, select, String.class)
                .setParameter(3, reason, String.class)
                .setParameter(
                        4, changed == null ? null : changed.toArray(String[]::new), String[].class)
                .setParameter(5, runId, UUID.class)
                .executeUpdate();
    }

    /**
     * Ends a claimed run without running dbt ({@code skipped}: nothing it reads changed); empty
     * when it was no longer running.
     */
    public Optional<RunEntity> skip(UUID runId, String message) {
        return getSession()
                .createNativeQuery(
                        "update transform_run set status = 'skipped', finished_at = started_at,"
                                + " message = ?1 where run_id = ?2 and status = 'running'"
                                + " returning *",
                        RunEntity.class)
                .setParameter(1, message, String.class)
                .setParameter(2, runId, UUID.class)
                .uniqueResultOptional();
    }

    /**
     * The project key prefix of kubernetes runs: a queued run's runner is known by it (a running
     * run's by its {@code runner}, set at the claim).
     */
    public static final String KUBERNETES_KEY = "kubernetes:";

    /**
     * Claims the next due run whose dbt project is not busy, for {@code owner}; empty when there is
     * none. A local run (cli, cloud) only when {@code local}; a kubernetes run only while fewer
     * than {@code maxJobs} kubernetes runs are running (across instances). Throws a {@link
     * ConstraintViolationException} when another instance started a run of the same project in
     * between (see {@link #lostRace}).
     */
    public Optional<RunEntity> claimNext(String owner, boolean local, int maxJobs) {
        return getSession()
                .createNativeQuery(
                        "update transform_run r set status = 'running', started_at = now(),"
                                + " heartbeat_at = now(), owner = ?1"
                                + " where r.run_id = (select q.run_id from transform_run q"
                                + "   where q.status = 'queued' and q.not_before <= now()"
                                + "   and not exists (select 1 from transform_run x"
                                + "     where x.project_key = q.project_key and x.status = 'running')"
                                + "   and (case when q.project_key like 'kubernetes:%'"
                                + "     then (select count(*) from transform_run k where k.status = 'running'"
                                + "       and k.runner = 'kubernetes') < ?3"
                                + "     else ?2 end)"
                                + "   order by q.not_before, q.queued_at limit 1 for update skip locked)"
                                + " and r.status = 'queued'"
                                + " returning r.*",
                        RunEntity.class)
                .setParameter(1, owner, String.class)
                .setParameter(2, local, Boolean.class)
                .setParameter(3, (long) maxJobs, Long.class)
                .uniqueResultOptional();
    }

    /** True when a claim failed because another instance won the race for the project. */
    public static boolean lostRace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConstraintViolationException c
                    && c.getKind() == ConstraintViolationException.ConstraintKind.UNIQUE) {
                return true;
            }
        }
        return false;
    }

    /** runner: kubernetes: the run's Job and pod. */
    public void setJob(UUID runId, String job, String pod) {
        update("jobName = ?1, podName = ?2 where runId = ?3", job, pod, runId);
    }

    /**
     * Takes over the running kubernetes runs of an earlier boot of this instance, or whose
     * heartbeat stopped (their Job may still be running: they are followed again, not failed), and
     * returns them.
     *
     * @param ownerPattern {@code owner like} this (an earlier boot); null: any owner
     */
    public List<RunEntity> adoptKubernetes(
            String ownerPattern, String currentOwner, Duration staleAfter) {
        return getSession()
                .createNativeQuery(
                        "update transform_run set owner = ?1, heartbeat_at = now()"
                                + " where status = 'running' and runner = 'kubernetes'"
                                + " and owner <> ?1 and (owner like ?2 or heartbeat_at <"
                                + " now() - cast(?3 as double precision) * interval '1 millisecond')"
                                + " returning *",
                        RunEntity.class)
                .setParameter(1, currentOwner, String.class)
                .setParameter(2, ownerPattern == null ? "" : ownerPattern, String.class)
                .setParameter(3, staleAfter.toMillis(), Long.class)
                .getResultList();
    }

    public void setPid(UUID runId, long pid) {
        update("pid = ?1 where runId = ?2", pid, runId);
    }

    /** The run is alive: refreshes its heartbeat and stores its log tail. */
    public boolean heartbeat(UUID runId, List<String> logTail) {
        return getSession()
                        .createNativeQuery(
                                "update transform_run set heartbeat_at = now(), log_tail = ?1"
                                        + " where run_id = ?2 and status = 'running'",
                                Object.class)
                        .setParameter(1, String.join("\n", logTail), String.class)
                        .setParameter(2, runId, UUID.class)
                        .executeUpdate()
                == 1;
    }

    public void upsertNode(UUID runId, NodeResult n) {
        getSession()
                .createNativeQuery(
                        "insert into transform_node_result (run_id, unique_id, status,"
                                + " execution_time, rows_affected, failures, message)"
                                + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                                + " on conflict (run_id, unique_id) do update set"
                                + " status = excluded.status,"
                                + " execution_time = coalesce(excluded.execution_time,"
                                + "   transform_node_result.execution_time),"
                                + " rows_affected = coalesce(excluded.rows_affected,"
                                + "   transform_node_result.rows_affected),"
                                + " failures = coalesce(excluded.failures,"
                                + "   transform_node_result.failures),"
                                + " message = coalesce(excluded.message,"
                                + "   transform_node_result.message),"
                                + " updated_at = now()",
                        Object.class)
                .setParameter(1, runId, UUID.class)
                .setParameter(2, n.uniqueId(), String.class)
                .setParameter(3, n.status(), String.class)
                .setParameter(4, n.executionTime(), Double.class)
                .setParameter(5, n.rowsAffected(), Long.class)
                .setParameter(6, n.failures(), Long.class)
                .setParameter(7, n.message(), String.class)
                .executeUpdate();
    }

    /**
     * Ends a running run; empty when it was no longer running (e.g. already marked interrupted).
     */
    public Optional<RunEntity> finish(
            UUID runId,
            RunStatus status,
            Integer exitCode,
            Summary summary,
            List<NodeFailure> failures,
            String message,
            List<String> logTail) {
        return getSession()
                .createNativeQuery(
                        "update transform_run set status = ?1, finished_at = now(),"
                                + " exit_code = ?2, summary = cast(?3 as jsonb),"
                                + " failures = cast(?4 as jsonb), message = ?5, log_tail = ?6"
                                + " where run_id = ?7 and status = 'running' returning *",
                        RunEntity.class)
                .setParameter(1, status.wire(), String.class)
                .setParameter(2, exitCode, Integer.class)
                .setParameter(3, summary == null ? null : EventJson.toJson(summary), String.class)
                .setParameter(
                        4, EventJson.toJson(failures == null ? List.of() : failures), String.class)
                .setParameter(5, message, String.class)
                .setParameter(6, String.join("\n", logTail), String.class)
                .setParameter(7, runId, UUID.class)
                .uniqueResultOptional();
    }

    /** Cancels a run that has not started; false when it is not queued. */
    public boolean cancelQueued(UUID runId, String by) {
        return getSession()
                        .createNativeQuery(
                                "update transform_run set status = 'cancelled',"
                                        + " finished_at = now(), cancel_requested_by = ?1,"
                                        + " message = ?2 where run_id = ?3 and status = 'queued'",
                                Object.class)
                        .setParameter(1, by, String.class)
                        .setParameter(2, "cancelled by " + by + " before it started", String.class)
                        .setParameter(3, runId, UUID.class)
                        .executeUpdate()
                == 1;
    }

    /** Asks the instance running it to stop; false when it is not running. */
    public boolean requestCancel(UUID runId, String by) {
        return update(
                        "cancelRequestedBy = ?1 where runId = ?2 and status = ?3",
                        by,
                        runId,
                        RunStatus.RUNNING)
                == 1;
    }

    /** Runs of this owner that someone asked to cancel (possibly through another instance). */
    public List<UUID> cancelRequested(String owner) {
        return getEntityManager()
                .createQuery(
                        "select r.runId from RunEntity r where r.status = ?1 and r.owner = ?2"
                                + " and r.cancelRequestedBy is not null",
                        UUID.class)
                .setParameter(1, RunStatus.RUNNING)
                .setParameter(2, owner)
                .getResultList();
    }

    /**
     * Marks failed the running runs whose heartbeat stopped (their instance died or restarted) and
     * returns them; kubernetes runs are adopted instead ({@link #adoptKubernetes}).
     */
    public List<RunEntity> failStale(Duration staleAfter, String reason) {
        return getSession()
                .createNativeQuery(
                        "update transform_run set status = 'failed', finished_at = now(),"
                                + " message = ?1 where status = 'running'"
                                + " and runner is distinct from 'kubernetes'"
                                + " and heartbeat_at < now() - cast(?2 as double precision) * interval '1 millisecond'"
                                + " returning *",
                        RunEntity.class)
                .setParameter(1, reason, String.class)
                .setParameter(2, staleAfter.toMillis(), Long.class)
                .getResultList();
    }

    /**
     * Marks failed the running runs of an earlier boot of this instance ({@code owner like
     * ownerPattern}, other than {@code currentOwner}) and returns them; kubernetes runs are adopted
     * instead ({@link #adoptKubernetes}).
     */
    public List<RunEntity> failInterrupted(
            String ownerPattern, String currentOwner, String reason) {
        return getSession()
                .createNativeQuery(
                        "update transform_run set status = 'failed', finished_at = now(),"
                                + " message = ?1 where status = 'running' and owner like ?2"
                                + " and runner is distinct from 'kubernetes'"
                                + " and owner <> ?3 returning *",
                        RunEntity.class)
                .setParameter(1, reason, String.class)
                .setParameter(2, ownerPattern, String.class)
                .setParameter(3, currentOwner, String.class)
                .getResultList();
    }

    /** The transform's newest runs first. */
    public List<RunEntity> forTransform(String name, int limit) {
        return find("transformName", Sort.descending("queuedAt"), name)
                .page(Page.ofSize(limit))
                .list();
    }

    public List<NodeResult> nodes(UUID runId) {
        return getEntityManager()
                .createQuery(
                        "from NodeResultEntity n where n.runId = ?1"
                                + " order by n.updatedAt, n.uniqueId",
                        NodeResultEntity.class)
                .setParameter(1, runId)
                .getResultList()
                .stream()
                .map(NodeResultEntity::toResult)
                .toList();
    }

    /**
     * SQL for {@code existing || added} without repeats, keeping the first occurrence's place (a
     * run's first correlation id stays its {@code correlation_id}).
     */
    static String appendDistinct(String existing, String added) {
        return "(select coalesce(array_agg(u.c order by u.o), '{}') from (select c, min(o) as o"
                + " from unnest("
                + existing
                + " || "
                + added
                + ") with ordinality as t(c, o) group by c) u)";
    }
}
