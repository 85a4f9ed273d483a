package io.tributary.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Data of {@code io.tributary.transform.started}, {@code .succeeded} and {@code .failed} on {@code
 * tributary.transform.events}, key {@code transformName}.
 *
 * <p>On {@code started} only the identity, trigger and {@code startedAt} are set; {@code
 * finishedAt}, {@code elapsed}, {@code exitCode} and {@code summary} come with the end of the run.
 *
 * @param runId UUID of the run
 * @param command the dbt command, e.g. {@code build} or {@code run}
 * @param select the dbt node selection passed with {@code --select}, null for everything
 * @param target the dbt target (profile output)
 * @param exitCode dbt's exit code: 0 success, 1 a node failed, 2 dbt itself failed
 * @param failures the nodes that errored or failed (empty on success)
 * @param correlationId the chain's correlation id (from the sync events that triggered the run):
 *     the first of {@code correlationIds}, kept as it was for existing consumers
 * @param message why the run failed when dbt itself failed (no node results)
 * @param correlationIds the distinct correlation ids of every sync that triggered the run, {@code
 *     correlationId} first (several on a fan-in run; empty, or the run's own id, on a manual,
 *     scheduled or API run); never null: absent (data of an older producer) it is {@code
 *     [correlationId]}, or empty without one
 * @param selectionReason why the run used {@code select} (contract 0.3.0): e.g. the changed streams
 *     it was narrowed to, or why it fell back to the definition's own selection; on {@code
 *     skipped}, why nothing ran. Absent when the definition's selection was used as written
 * @param changedStreams the streams ({@code namespace.name}) that committed records in the
 *     triggering syncs and drove the selection (contract 0.3.0); absent when not known
 * @param retryOf the run this one retries ({@code dbt retry}: only what failed or was skipped
 *     there; contract 0.3.0); absent otherwise
 * @param kubernetes where a run of the Kubernetes runner ran: its namespace, Job and pod (contract
 *     0.4.0); on the end of such a run, absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransformEvent(
        String transformName,
        String runId,
        TransformStatus status,
        String command,
        String select,
        String target,
        TransformTrigger trigger,
        Instant startedAt,
        Instant finishedAt,
        Duration elapsed,
        Integer exitCode,
        Summary summary,
        List<NodeFailure> failures,
        String correlationId,
        String message,
        List<String> correlationIds,
        String selectionReason,
        List<String> changedStreams,
        String retryOf,
        KubernetesJob kubernetes) {

    /**
     * The Job and pod that ran dbt ({@code runner: kubernetes}); the pod is null if none started.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KubernetesJob(String namespace, String job, String pod) {}

    public TransformEvent {
        failures = failures == null ? List.of() : List.copyOf(failures);
        if (correlationIds == null) {
            correlationIds = correlationId == null ? List.of() : List.of(correlationId);
        } else {
            correlationIds = List.copyOf(correlationIds);
        }
        changedStreams = changedStreams == null ? null : List.copyOf(changedStreams);
    }

    /** The data before {@code kubernetes} was added (kept so existing callers compile). */
    public TransformEvent(
            String transformName,
            String runId,
            TransformStatus status,
            String command,
            String select,
            String target,
            TransformTrigger trigger,
            Instant startedAt,
            Instant finishedAt,
            Duration elapsed,
            Integer exitCode,
            Summary summary,
            List<NodeFailure> failures,
            String correlationId,
            String message,
            List<String> correlationIds,
            String selectionReason,
            List<String> changedStreams,
            String retryOf) {
        this(
                transformName,
                runId,
                status,
                command,
                select,
                target,
                trigger,
                startedAt,
                finishedAt,
                elapsed,
                exitCode,
                summary,
                failures,
                correlationId,
                message,
                correlationIds,
                selectionReason,
                changedStreams,
                retryOf,
                null);
    }

    /** The data before the selection fields were added (kept so existing callers compile). */
    public TransformEvent(
            String transformName,
            String runId,
            TransformStatus status,
            String command,
            String select,
            String target,
            TransformTrigger trigger,
            Instant startedAt,
            Instant finishedAt,
            Duration elapsed,
            Integer exitCode,
            Summary summary,
            List<NodeFailure> failures,
            String correlationId,
            String message,
            List<String> correlationIds) {
        this(
                transformName,
                runId,
                status,
                command,
                select,
                target,
                trigger,
                startedAt,
                finishedAt,
                elapsed,
                exitCode,
                summary,
                failures,
                correlationId,
                message,
                correlationIds,
                null,
                null,
                null,
                null);
    }

    /** The data before {@code correlationIds} was added (kept so existing callers compile). */
    public TransformEvent(
            String transformName,
            String runId,
            TransformStatus status,
            String command,
            String select,
            String target,
            TransformTrigger trigger,
            Instant startedAt,
            Instant finishedAt,
            Duration elapsed,
            Integer exitCode,
            Summary summary,
            List<NodeFailure> failures,
            String correlationId,
            String message) {
        this(
                transformName,
                runId,
                status,
                command,
                select,
                target,
                trigger,
                startedAt,
                finishedAt,
                elapsed,
                exitCode,
                summary,
                failures,
                correlationId,
                message,
                (List<String>) null);
    }

    /** The ce_type matching {@link #status()}. */
    public EventType ceType() {
        if (status == null) {
            throw new IllegalStateException("status is not set");
        }
        return EventType.transform(status);
    }

    /** Counts of dbt node results by status ({@code run_results.json}). */
    public record Summary(int success, int error, int skipped, int pass, int fail, int warn) {
        public static final Summary EMPTY = new Summary(0, 0, 0, 0, 0, 0);
    }

    /**
     * One dbt node that errored or failed.
     *
     * @param uniqueId dbt's {@code unique_id}, e.g. {@code model.shop.orders}
     * @param status dbt's status, e.g. {@code error} or {@code fail}
     */
    public record NodeFailure(String uniqueId, String status, String message) {}
}
