package io.tributary.transform.run;

import io.tributary.transform.definition.TransformDefinition;
import java.time.Duration;

/** Executes one run of a transform to its end (blocking the worker thread it is given). */
public interface TransformRunner {

    /**
     * @param timeout when to give up: the runner stops the work and reports a failure
     * @param execution live state: cancellation, log tail, node progress
     */
    RunOutcome run(
            TransformDefinition definition,
            RunEntity run,
            Duration timeout,
            RunExecution execution);
}
