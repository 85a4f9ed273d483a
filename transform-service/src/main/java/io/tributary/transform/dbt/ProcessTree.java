package io.tributary.transform.dbt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Stops a child process and everything it started: first an interrupt (SIGINT, dbt's Ctrl-C: it
 * cancels its open warehouse queries), then, after a grace period, SIGKILL to the whole tree.
 */
public final class ProcessTree {
    private static final Logger LOG = Logger.getLogger(ProcessTree.class);

    private ProcessTree() {}

    public static void kill(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        // Collected first: once the parent dies its children are re-parented and lost to us.
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        interrupt(process.pid());
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                tree.addAll(process.descendants().toList());
                tree.forEach(ProcessHandle::destroyForcibly);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.addAll(process.descendants().toList());
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void interrupt(long pid) {
        try {
            // An argument list, no shell: the pid is a number we got from the JVM.
            Process kill =
                    new ProcessBuilder("kill", "-INT", Long.toString(pid))
                            .redirectErrorStream(true)
                            .start();
            kill.getInputStream().readAllBytes();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // No kill(1) here (e.g. Windows): the forcible kill below still happens.
            LOG.debugf("no SIGINT for %d: %s", pid, e.getMessage());
        }
    }
}
