package io.tributary.transform.run;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;

/**
 * A run in progress in this instance: its log tail, and the way to stop it (cancel, timeout,
 * shutdown). The runner registers what to kill with {@link #onStop}.
 */
public class RunExecution {
    private final UUID runId;
    private final int tailLines;
    private final Deque<String> tail = new ArrayDeque<>();
    private volatile String cancelReason;
    private volatile boolean abandoned;
    private volatile boolean ending;
    private volatile Runnable stopper;

    public RunExecution(UUID runId, int tailLines) {
        this.runId = runId;
        this.tailLines = tailLines;
    }

    public UUID runId() {
        return runId;
    }

    public void log(String line) {
        if (line == null || line.isBlank()) {
            return;
        }
        synchronized (tail) {
            tail.addLast(line);
            while (tail.size() > tailLines) {
                tail.removeFirst();
            }
        }
    }

    public List<String> tail() {
        synchronized (tail) {
            return new ArrayList<>(tail);
        }
    }

    /** What stops the work now (kills the dbt process tree, cancels the Cloud run...). */
    public void onStop(Runnable stopper) {
        this.stopper = stopper;
        if (cancelReason != null || abandoned) {
            stopper.run();
        }
    }

    /** Cancels: the run ends {@code cancelled} with the reason. */
    public void cancel(String reason) {
        if (cancelReason == null) {
            cancelReason = reason;
            stop();
        }
    }

    /** The service is stopping: kill the work, leave the run to be recovered after the restart. */
    public void abandon() {
        abandoned = true;
        stop();
    }

    /** The work is over and its result is being written: no more heartbeats. */
    public void markEnding() {
        ending = true;
    }

    public boolean isEnding() {
        return ending;
    }

    public String cancelReason() {
        return cancelReason;
    }

    public boolean isCancelled() {
        return cancelReason != null;
    }

    public boolean isAbandoned() {
        return abandoned;
    }

    private void stop() {
        Runnable s = stopper;
        if (s != null) {
            s.run();
        }
    }
}
