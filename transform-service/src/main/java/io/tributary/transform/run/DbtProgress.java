package io.tributary.transform.run;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.transform.dbt.DbtLogLine;
import io.tributary.transform.dbt.DbtLogParser;
import io.tributary.transform.dbt.NodeResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * dbt's {@code --log-format json} lines applied as they arrive, whichever runner reads them: the
 * run's log tail, its error lines, and each node's progress stored ({@code started}, then its
 * result). Thread-safe: one reader feeds it, the runner reads the results.
 */
final class DbtProgress {
    private static final Logger LOG = Logger.getLogger(DbtProgress.class);

    private final RunEntity run;
    private final RunExecution execution;
    private final RunRepository runs;
    private final List<String> errors = new ArrayList<>();
    private final Map<String, NodeResult> results = new LinkedHashMap<>();

    DbtProgress(RunEntity run, RunExecution execution, RunRepository runs) {
        this.run = run;
        this.execution = execution;
        this.runs = runs;
    }

    void accept(String line) {
        DbtLogLine log = DbtLogParser.parse(line);
        execution.log(log.message());
        if (log.isError() && !log.message().isBlank()) {
            synchronized (errors) {
                errors.add(log.message().strip());
            }
        }
        try {
            if (log.isNodeStart()) {
                store(new NodeResult(log.uniqueId(), "started", null, null, null, null));
                LOG.infof("run %s: %s", run.runId, log.message());
            } else if (log.isNodeResult()) {
                String status = log.nodeStatus() == null ? "unknown" : log.nodeStatus();
                NodeResult result =
                        new NodeResult(
                                log.uniqueId(), status, log.executionTime(), null, null, null);
                if (result.failed()) { // why, for the run's failures (dbt's line says it)
                    result =
                            new NodeResult(
                                    log.uniqueId(),
                                    status,
                                    log.executionTime(),
                                    null,
                                    null,
                                    log.message().strip());
                }
                synchronized (results) {
                    results.put(result.uniqueId(), result);
                }
                store(result);
                LOG.infof("run %s: %s", run.runId, log.message());
            } else if (log.isError()) {
                LOG.warnf("run %s: %s", run.runId, log.message());
            } else {
                LOG.debugf("run %s: %s", run.runId, log.message());
            }
        } catch (RuntimeException e) {
            // Progress is best effort: the run's end has the final word.
            LOG.debugf("cannot store progress of run %s: %s", run.runId, e.getMessage());
        }
    }

    /** dbt's error lines so far (the list the runner's outcome reads; lock it to read). */
    List<String> errors() {
        return errors;
    }

    /** The nodes that reached a result, in the order they did. */
    List<NodeResult> results() {
        synchronized (results) {
            return List.copyOf(results.values());
        }
    }

    private void store(NodeResult node) {
        QuarkusTransaction.requiringNew().run(() -> runs.upsertNode(run.runId, node));
    }
}
