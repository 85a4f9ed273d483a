package io.tributary.transform.run;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.events.TransformEvent.NodeFailure;
import io.tributary.transform.dbt.NodeResult;
import io.tributary.transform.definition.DefinitionRepository;
import io.tributary.transform.definition.TransformDefinition;
import io.tributary.transform.definition.TransformDefinition.RetryPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * {@code dbt retry} runs: on request ({@code POST /api/runs/{id}/retry}) and by a definition's
 * {@code retry} policy. A retry is a queued run like any other (one running run per project, one
 * queued run per transform), linked to the run it retries; an automatic one is due after the
 * back-off, a time kept in the database so that it survives a restart.
 */
@ApplicationScoped
public class Retries {
    private static final Logger LOG = Logger.getLogger(Retries.class);

    @Inject RunRepository runs;
    @Inject DefinitionRepository definitions;
    @Inject TriggerCoordinator coordinator;
    @Inject RunWorker worker;

    /** The answer to a retry request: the queued run, or why there is none. */
    public record Requested(Optional<UUID> runId, boolean notFound, String conflict) {
        static Requested queued(UUID runId) {
            return new Requested(Optional.of(runId), false, null);
        }

        static Requested refused(String why) {
            return new Requested(Optional.empty(), false, why);
        }
    }

    /** Queues a retry of a failed run, due now. */
    public Requested request(UUID runId) {
        Requested r = QuarkusTransaction.requiringNew().call(() -> queueRequested(runId));
        r.runId().ifPresent(id -> worker.wake());
        return r;
    }

    private Requested queueRequested(UUID runId) {
        Optional<RunEntity> found = runs.findByIdOptional(runId);
        if (found.isEmpty()) {
            return new Requested(Optional.empty(), true, null);
        }
        RunEntity run = found.get();
        if (!run.status.isTerminal()) {
            return Requested.refused(
                    "run " + runId + " has not finished (" + run.status.wire() + ")");
        }
        if (run.status != RunStatus.FAILED) {
            return Requested.refused(
                    "run " + runId + " had nothing failed (" + run.status.wire() + ")");
        }
        Optional<TransformDefinition> d = definitions.byName(run.transformName);
        if (d.isEmpty()) {
            return Requested.refused("the transform " + run.transformName + " was deleted");
        }
        if (!TransformDefinition.CLI.equals(d.get().runnerOrDefault())) {
            return Requested.refused("dbt retry needs runner: cli");
        }
        Optional<UUID> queued =
                runs.enqueueRetry(run, coordinator.projectKey(d.get()), Duration.ZERO);
        if (queued.isEmpty()) {
            return Requested.refused(
                    "transform "
                            + run.transformName
                            + " already has a queued run: it runs first, retry after it");
        }
        LOG.infof(
                "run %s of %s: retry requested, queued as %s",
                runId, run.transformName, queued.get());
        return Requested.queued(queued.get());
    }

    /**
     * After a run ended (call in the transaction that records its end): queues its automatic retry
     * when the definition asks for one and the run ended in error.
     */
    public Optional<UUID> afterEnd(TransformDefinition d, RunEntity ended, RunOutcome outcome) {
        RetryPolicy policy = d.retry();
        if (policy == null
                || ended.status != RunStatus.FAILED
                || ended.retryNumber >= policy.maxAttemptsOrZero()
                || !retriable(outcome, policy)) {
            return Optional.empty();
        }
        Optional<UUID> queued =
                runs.enqueueRetry(ended, coordinator.projectKey(d), policy.backoffOrDefault());
        if (queued.isPresent()) {
            LOG.infof(
                    "run %s of %s ended in error: retry %d of %d queued as %s, due in %s",
                    ended.runId,
                    d.name(),
                    ended.retryNumber + 1,
                    policy.maxAttemptsOrZero(),
                    queued.get(),
                    policy.backoffOrDefault());
        } else {
            LOG.infof(
                    "run %s of %s ended in error: not retried, a queued run of the transform"
                            + " will run",
                    ended.runId, d.name());
        }
        return queued;
    }

    /**
     * An error (dbt's exit code 2, a node with status {@code error}) is retried; failed data tests
     * ({@code fail}) only when the policy includes them; a timeout or a cancel never.
     */
    static boolean retriable(RunOutcome outcome, RetryPolicy policy) {
        if (outcome.message() != null && outcome.message().startsWith("timed out")) {
            return false;
        }
        if (outcome.exitCode() != null && outcome.exitCode() == 2) {
            return true;
        }
        boolean error = statuses(outcome).anyMatch("error"::equals);
        boolean testFailed = statuses(outcome).anyMatch("fail"::equals);
        return error || (testFailed && policy.retriesTestFailures());
    }

    private static Stream<String> statuses(RunOutcome outcome) {
        return Stream.concat(
                outcome.failures().stream().map(NodeFailure::status),
                outcome.nodes().stream().map(NodeResult::status));
    }
}
