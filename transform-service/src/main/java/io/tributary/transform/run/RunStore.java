package io.tributary.transform.run;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tributary.events.EventJson;
import io.tributary.events.TransformEvent.NodeFailure;
import io.tributary.events.TransformEvent.Summary;
import io.tributary.events.TransformTrigger;
import io.tributary.events.TransformTriggerKind;
import io.tributary.support.Traces;
import io.tributary.transform.dbt.NodeResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The runs and the persisted queue ({@code transform_run}), their node results and the fan-in
 * state. Every decision that must hold across threads and instances is one SQL statement guarded by
 * the database: one queued run per transform, one running run per dbt project.
 */
@ApplicationScoped
public class RunStore {
    private static final TypeReference<List<NodeFailure>> FAILURES = new TypeReference<>() {};
    private static final String UNIQUE_VIOLATION = "23505";

    @Inject DataSource dataSource;

    /**
     * The result of queueing: the queued run, and whether the trigger joined one already queued.
     */
    public record Enqueued(UUID runId, boolean coalesced) {}

    /**
     * Queues a run of the transform, or merges the trigger into the run already queued for it (its
     * job and connection ids are added, its correlation ids appended, its start is not delayed: the
     * debounce window counts from the first trigger; a trigger with no delay makes it due now).
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
            UUID requeuedFrom) {
        String sql =
                "insert into transform_run (run_id, transform_name, project_key, status,"
                        + " trigger_kind, sync_job_ids, connection_ids, correlation_id, attempt,"
                        + " requeued_from, not_before, traceparent, correlation_ids)"
                        + " values (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?,"
                        + " now() + (?::double precision) * interval '1 millisecond', ?, ?)"
                        + " on conflict (transform_name) where status = 'queued' do update set"
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
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, transformName);
            ps.setString(3, projectKey);
            ps.setString(4, trigger.kind().wire());
            ps.setArray(5, c.createArrayOf("bigint", trigger.syncJobIds().toArray()));
            ps.setArray(6, c.createArrayOf("text", trigger.connectionIds().toArray()));
            ps.setString(7, correlationIds.isEmpty() ? null : correlationIds.get(0));
            ps.setInt(8, attempt);
            ps.setObject(9, requeuedFrom);
            ps.setLong(10, delay.toMillis());
            // The trigger's trace (the sync ending being handled), so the run's events continue it.
            ps.setString(11, Traces.current());
            ps.setArray(12, c.createArrayOf("text", correlationIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Enqueued(rs.getObject(1, UUID.class), !rs.getBoolean(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot queue a run of " + transformName, e);
        }
    }

    /**
     * Claims the next due run whose dbt project is not busy, for {@code owner}; empty when there is
     * none (or another instance won the race for it).
     */
    public Optional<RunRecord> claimNext(String owner) {
        String sql =
                "update transform_run r set status = 'running', started_at = now(),"
                        + " heartbeat_at = now(), owner = ?"
                        + " where r.run_id = (select q.run_id from transform_run q"
                        + "   where q.status = 'queued' and q.not_before <= now()"
                        + "   and not exists (select 1 from transform_run x"
                        + "     where x.project_key = q.project_key and x.status = 'running')"
                        + "   order by q.not_before, q.queued_at limit 1 for update skip locked)"
                        + " and r.status = 'queued'"
                        + " returning r.*";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                // Another instance started a run of the same project in between: try later.
                return Optional.empty();
            }
            throw new IllegalStateException("cannot claim a run", e);
        }
    }

    /** Records what the run executes (a snapshot of its definition when it started). */
    public void describe(UUID runId, String runner, String command, String select, String target) {
        update(
                "update transform_run set runner = ?, command = ?, select_expr = ?, target = ?"
                        + " where run_id = ?",
                runner,
                command,
                select,
                target,
                runId);
    }

    public void setPid(UUID runId, long pid) {
        update("update transform_run set pid = ? where run_id = ?", pid, runId);
    }

    /** The run is alive: refreshes its heartbeat and stores its log tail. */
    public boolean heartbeat(UUID runId, List<String> logTail) {
        return update(
                        "update transform_run set heartbeat_at = now(), log_tail = ?"
                                + " where run_id = ? and status = 'running'",
                        String.join("\n", logTail),
                        runId)
                == 1;
    }

    public void upsertNode(UUID runId, NodeResult n) {
        String sql =
                "insert into transform_node_result (run_id, unique_id, status, execution_time,"
                        + " rows_affected, failures, message) values (?, ?, ?, ?, ?, ?, ?)"
                        + " on conflict (run_id, unique_id) do update set status = excluded.status,"
                        + " execution_time = coalesce(excluded.execution_time,"
                        + "   transform_node_result.execution_time),"
                        + " rows_affected = coalesce(excluded.rows_affected,"
                        + "   transform_node_result.rows_affected),"
                        + " failures = coalesce(excluded.failures, transform_node_result.failures),"
                        + " message = coalesce(excluded.message, transform_node_result.message),"
                        + " updated_at = now()";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, runId);
            ps.setString(2, n.uniqueId());
            ps.setString(3, n.status());
            setNullable(ps, 4, n.executionTime(), Types.DOUBLE);
            setNullable(ps, 5, n.rowsAffected(), Types.BIGINT);
            setNullable(ps, 6, n.failures(), Types.BIGINT);
            ps.setString(7, n.message());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store node " + n.uniqueId(), e);
        }
    }

    /**
     * Ends a running run; false when it was no longer running (e.g. already marked interrupted).
     */
    public boolean finish(
            UUID runId,
            RunStatus status,
            Integer exitCode,
            Summary summary,
            List<NodeFailure> failures,
            String message,
            List<String> logTail) {
        String sql =
                "update transform_run set status = ?, finished_at = now(), exit_code = ?,"
                        + " summary = ?::jsonb, failures = ?::jsonb, message = ?, log_tail = ?"
                        + " where run_id = ? and status = 'running'";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, status.wire());
            setNullable(ps, 2, exitCode, Types.INTEGER);
            ps.setString(3, summary == null ? null : EventJson.toJson(summary));
            ps.setString(4, EventJson.toJson(failures == null ? List.of() : failures));
            ps.setString(5, message);
            ps.setString(6, String.join("\n", logTail));
            ps.setObject(7, runId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot finish run " + runId, e);
        }
    }

    /** Cancels a run that has not started; false when it is not queued. */
    public boolean cancelQueued(UUID runId, String by) {
        return update(
                        "update transform_run set status = 'cancelled', finished_at = now(),"
                                + " cancel_requested_by = ?, message = ?, started_published = true,"
                                + " finished_published = true"
                                + " where run_id = ? and status = 'queued'",
                        by,
                        "cancelled by " + by + " before it started",
                        runId)
                == 1;
    }

    /** Asks the instance running it to stop; false when it is not running. */
    public boolean requestCancel(UUID runId, String by) {
        return update(
                        "update transform_run set cancel_requested_by = ?"
                                + " where run_id = ? and status = 'running'",
                        by,
                        runId)
                == 1;
    }

    /** Runs of this owner that someone asked to cancel (possibly through another instance). */
    public List<UUID> cancelRequested(String owner) {
        return ids(
                "select run_id from transform_run where status = 'running' and owner = ?"
                        + " and cancel_requested_by is not null",
                owner);
    }

    /**
     * Marks failed the running runs whose heartbeat stopped (their instance died or restarted) and
     * returns them.
     */
    public List<RunRecord> failStale(Duration staleAfter, String reason) {
        return query(
                "update transform_run set status = 'failed', finished_at = now(), message = ?"
                        + " where status = 'running'"
                        + " and heartbeat_at < now() - (?::double precision) * interval '1 millisecond'"
                        + " returning *",
                reason,
                staleAfter.toMillis());
    }

    /**
     * Marks failed the running runs of an earlier boot of this instance ({@code owner like
     * ownerPattern}, other than {@code currentOwner}) and returns them.
     */
    public List<RunRecord> failInterrupted(
            String ownerPattern, String currentOwner, String reason) {
        return query(
                "update transform_run set status = 'failed', finished_at = now(), message = ?"
                        + " where status = 'running' and owner like ? and owner <> ?"
                        + " returning *",
                reason,
                ownerPattern,
                currentOwner);
    }

    public void markPublished(UUID runId, boolean finished) {
        update(
                finished
                        ? "update transform_run set finished_published = true where run_id = ?"
                        : "update transform_run set started_published = true where run_id = ?",
                runId);
    }

    /** Runs whose events were not all acknowledged by Kafka (retried by the worker). */
    public List<RunRecord> unpublished(Duration olderThan) {
        return query(
                "select * from transform_run where ((status <> 'queued' and not started_published)"
                        + " or (status in ('succeeded', 'failed', 'cancelled')"
                        + " and not finished_published))"
                        + " and coalesce(finished_at, started_at) < now() - (?::double precision) * interval '1 millisecond'"
                        + " order by queued_at limit 50",
                olderThan.toMillis());
    }

    public Optional<RunRecord> find(UUID runId) {
        return query("select * from transform_run where run_id = ?", runId).stream().findFirst();
    }

    public List<RunRecord> forTransform(String name, int limit) {
        return query(
                "select * from transform_run where transform_name = ?"
                        + " order by queued_at desc limit ?",
                name,
                limit);
    }

    public List<NodeResult> nodes(UUID runId) {
        List<NodeResult> nodes = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select * from transform_node_result where run_id = ?"
                                        + " order by updated_at, unique_id")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    nodes.add(
                            new NodeResult(
                                    rs.getString("unique_id"),
                                    rs.getString("status"),
                                    (Double) rs.getObject("execution_time"),
                                    (Long) rs.getObject("rows_affected"),
                                    (Long) rs.getObject("failures"),
                                    rs.getString("message")));
                }
            }
            return nodes;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read nodes of " + runId, e);
        }
    }

    /**
     * What a fan-in transform holds for one upstream connection: its latest successful job and the
     * correlation ids of all its syncs since the last run was queued (in the order they landed).
     */
    public record Landed(Long jobId, List<String> correlationIds) {}

    /**
     * Records that a connection succeeded for a fan-in transform; returns the state after, by
     * connection id, the connection that landed first first.
     */
    public Map<String, Landed> recordFanIn(
            String transformName, String connectionId, Long jobId, String correlationId) {
        String[] correlationIds =
                correlationId == null ? new String[0] : new String[] {correlationId};
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "insert into transform_fan_in (transform_name, connection_id, job_id,"
                                    + " correlation_id, correlation_ids) values (?, ?, ?, ?, ?)"
                                    + " on conflict (transform_name, connection_id) do update set"
                                    + " job_id = excluded.job_id,"
                                    + " correlation_id = excluded.correlation_id,"
                                    + " correlation_ids = "
                                    + appendDistinct(
                                            "transform_fan_in.correlation_ids",
                                            "excluded.correlation_ids")
                                    + ", succeeded_at = now()")) {
                ps.setString(1, transformName);
                ps.setString(2, connectionId);
                setNullable(ps, 3, jobId, Types.BIGINT);
                ps.setString(4, correlationId);
                ps.setArray(5, c.createArrayOf("text", correlationIds));
                ps.executeUpdate();
            }
            Map<String, Landed> state = new LinkedHashMap<>();
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "select connection_id, job_id, correlation_ids from transform_fan_in"
                                    + " where transform_name = ?"
                                    + " order by succeeded_at, connection_id for update")) {
                ps.setString(1, transformName);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        state.put(
                                rs.getString(1),
                                new Landed((Long) rs.getObject(2), strings(rs.getArray(3))));
                    }
                }
            }
            return state;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record fan-in of " + transformName, e);
        }
    }

    /**
     * SQL for {@code existing || added} without repeats, keeping the first occurrence's place (a
     * run's first correlation id stays its {@code correlation_id}).
     */
    private static String appendDistinct(String existing, String added) {
        return "(select coalesce(array_agg(u.c order by u.o), '{}') from (select c, min(o) as o"
                + " from unnest("
                + existing
                + " || "
                + added
                + ") with ordinality as t(c, o) group by c) u)";
    }

    /** Forgets the fan-in state once a run was queued for it. */
    public void clearFanIn(String transformName) {
        update("delete from transform_fan_in where transform_name = ?", transformName);
    }

    private List<UUID> ids(String sql, Object... params) {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<RunRecord> query(String sql, Object... params) {
        List<RunRecord> runs = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                runs.add(map(rs));
            }
            return runs;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params)
            throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }

    private static void setNullable(PreparedStatement ps, int index, Object value, int type)
            throws SQLException {
        if (value == null) {
            ps.setNull(index, type);
        } else {
            ps.setObject(index, value);
        }
    }

    private static RunRecord map(ResultSet rs) throws SQLException {
        String summary = rs.getString("summary");
        String failures = rs.getString("failures");
        String tail = rs.getString("log_tail");
        return new RunRecord(
                rs.getObject("run_id", UUID.class),
                rs.getString("transform_name"),
                rs.getString("project_key"),
                RunStatus.of(rs.getString("status")),
                new TransformTrigger(
                        TransformTriggerKind.of(rs.getString("trigger_kind")),
                        longs(rs.getArray("sync_job_ids")),
                        strings(rs.getArray("connection_ids"))),
                rs.getInt("trigger_count"),
                rs.getString("correlation_id"),
                rs.getInt("attempt"),
                rs.getObject("requeued_from", UUID.class),
                instant(rs, "not_before"),
                instant(rs, "queued_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                instant(rs, "heartbeat_at"),
                rs.getString("owner"),
                (Long) rs.getObject("pid"),
                rs.getString("runner"),
                rs.getString("command"),
                rs.getString("select_expr"),
                rs.getString("target"),
                (Integer) rs.getObject("exit_code"),
                summary == null ? null : EventJson.read(summary, Summary.class),
                failures == null
                        ? List.of()
                        : EventJson.mapper().convertValue(EventJson.tree(failures), FAILURES),
                rs.getString("message"),
                tail == null || tail.isEmpty() ? List.of() : List.of(tail.split("\n", -1)),
                rs.getString("cancel_requested_by"),
                rs.getBoolean("started_published"),
                rs.getBoolean("finished_published"),
                rs.getString("traceparent"),
                strings(rs.getArray("correlation_ids")));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static List<Long> longs(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((Long[]) array.getArray());
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
