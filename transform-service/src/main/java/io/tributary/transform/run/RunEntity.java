package io.tributary.transform.run;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tributary.events.EventJson;
import io.tributary.events.TransformEvent.NodeFailure;
import io.tributary.events.TransformEvent.Summary;
import io.tributary.events.TransformTrigger;
import io.tributary.events.TransformTriggerKind;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A run, and the persisted queue: a {@code queued} row is a run waiting for its time (debounce) and
 * for its dbt project to be free. Its state changes are single statements of {@link RunRepository};
 * only {@code changed} columns are written when the entity itself is updated.
 */
@Entity
@Table(name = "transform_run")
@DynamicUpdate
public class RunEntity {
    private static final TypeReference<List<NodeFailure>> FAILURES = new TypeReference<>() {};

    @Id
    @Column(name = "run_id")
    public UUID runId;

    @Column(name = "transform_name", nullable = false)
    public String transformName;

    /** What may run only once at a time: the dbt project directory, or the dbt Cloud job. */
    @Column(name = "project_key", nullable = false)
    public String projectKey;

    @Column(name = "status", nullable = false)
    @Convert(converter = RunStatus.Column.class)
    public RunStatus status;

    @Column(name = "trigger_kind", nullable = false)
    public String triggerKind;

    @Column(name = "sync_job_ids", nullable = false)
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<Long> syncJobIds;

    @Column(name = "connection_ids", nullable = false)
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> connectionIds;

    /** How many triggers were coalesced into this run. */
    @Column(name = "trigger_count", nullable = false)
    public int triggerCount;

    @Column(name = "correlation_id")
    public String correlationId;

    /** The correlation ids of every sync that triggered the run, {@code correlationId} first. */
    @Column(name = "correlation_ids", nullable = false)
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> correlationIds;

    /** 1, or 2 for the run queued again after the first was interrupted by a restart. */
    @Column(name = "attempt", nullable = false)
    public int attempt;

    /** The interrupted run this one repeats. */
    @Column(name = "requeued_from")
    public UUID requeuedFrom;

    /** The run starts no earlier (end of the debounce window). */
    @Column(name = "not_before", nullable = false)
    public Instant notBefore;

    @Column(name = "queued_at", nullable = false)
    public Instant queuedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;

    /** The instance running it: {@code <instance-id>/<boot>}. */
    @Column(name = "owner")
    public String owner;

    @Column(name = "pid")
    public Long pid;

    // What the run executes: a snapshot of its definition when it started.
    @Column(name = "runner")
    public String runner;

    /** runner: kubernetes: the run's Job, and its pod once there is one. */
    @Column(name = "job_name")
    public String jobName;

    @Column(name = "pod_name")
    public String podName;

    @Column(name = "command")
    public String command;

    @Column(name = "select_expr")
    public String select;

    @Column(name = "target")
    public String target;

    @Column(name = "exit_code")
    public Integer exitCode;

    /** dbt's summary as the contract's JSON. */
    @Column(name = "summary")
    @ColumnTransformer(write = "cast(? as jsonb)")
    public String summaryJson;

    /** The failing nodes as the contract's JSON. */
    @Column(name = "failures")
    @ColumnTransformer(write = "cast(? as jsonb)")
    public String failuresJson;

    @Column(name = "message")
    public String message;

    /** The last lines of dbt's log, one per line. */
    @Column(name = "log_tail")
    public String logTailText;

    @Column(name = "cancel_requested_by")
    public String cancelRequestedBy;

    /** The sync endings that triggered the run, as JSON ({@link SyncEnding}). */
    @Column(name = "endings", nullable = false)
    @ColumnTransformer(write = "cast(? as jsonb)")
    public String endingsJson;

    /** Why the run used its {@code select} (null: the definition's, as written). */
    @Column(name = "selection_reason")
    public String selectionReason;

    /** The streams ({@code namespace.name}) that committed records and drove the selection. */
    @Column(name = "changed_streams")
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> changedStreams;

    /** The run this one retries with {@code dbt retry}. */
    @Column(name = "retry_of")
    public UUID retryOf;

    /** 0, or how many retries in a row this run is (1 for the first retry of a run). */
    @Column(name = "retry_number", nullable = false)
    public int retryNumber;

    /** The W3C trace context the run's events are published in, or null. */
    @Column(name = "traceparent")
    public String traceparent;

    public TransformTrigger trigger() {
        return new TransformTrigger(
                TransformTriggerKind.of(triggerKind), syncJobIds, connectionIds);
    }

    public List<SyncEnding> endings() {
        return SyncEnding.listOf(endingsJson);
    }

    public Summary summary() {
        return summaryJson == null ? null : EventJson.read(summaryJson, Summary.class);
    }

    public List<NodeFailure> failures() {
        return failuresJson == null
                ? List.of()
                : EventJson.mapper().convertValue(EventJson.tree(failuresJson), FAILURES);
    }

    public List<String> logTail() {
        return logTailText == null || logTailText.isEmpty()
                ? List.of()
                : List.of(logTailText.split("\n", -1));
    }
}
