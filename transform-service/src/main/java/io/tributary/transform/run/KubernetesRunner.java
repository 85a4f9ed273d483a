package io.tributary.transform.run;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.transform.config.TransformConfig;
import io.tributary.transform.dbt.NodeResult;
import io.tributary.transform.dbt.RunResults;
import io.tributary.transform.definition.TransformDefinition;
import io.tributary.transform.kubernetes.DbtJob;
import io.tributary.transform.kubernetes.DbtJobs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs dbt as a Kubernetes Job ({@link DbtJob}) and follows it to its end: the pod must be running
 * within {@code schedule-timeout}, its {@code --log-format json} log is streamed into the run's
 * node progress, the dbt container's exit code makes the outcome (as the CLI runner's). Cancel and
 * timeout delete the Job (foreground); a service stopping leaves it running, to be re-attached.
 */
@ApplicationScoped
public class KubernetesRunner implements TransformRunner {
    private static final Logger LOG = Logger.getLogger(KubernetesRunner.class);

    @Inject TransformConfig config;
    @Inject DbtJobs jobs;
    @Inject RunRepository runs;

    @Override
    public RunOutcome run(
            TransformDefinition d, RunEntity run, Duration timeout, RunExecution execution) {
        Job job;
        try {
            job = DbtJob.build(config.kubernetes(), d, run.runId, timeout);
        } catch (IllegalStateException e) {
            return RunOutcome.failed("cannot build the Job: " + e.getMessage());
        }
        String name = job.getMetadata().getName();
        record(run, name, null);
        try {
            boolean created = jobs.create(job);
            if (!created && !ofRun(jobs.job(name), run)) {
                return RunOutcome.failed("a Job " + name + " of another run exists already");
            }
            execution.log(
                    (created ? "Job " : "Job (already there) ")
                            + name
                            + " in namespace "
                            + jobs.namespace());
        } catch (KubernetesClientException e) {
            return RunOutcome.failed("cannot create Job " + name + ": " + e.getMessage());
        }
        LOG.infof("run %s of %s: Job %s created", run.runId, d.name(), name);
        return follow(run, name, Instant.now().plus(timeout), timeout, execution);
    }

    /**
     * Follows the Job of a run started before this service restarted (its deadline counts from the
     * run's start); fails the run when the Job is gone.
     */
    public RunOutcome reattach(RunEntity run, Duration timeout, RunExecution execution) {
        String name = run.jobName != null ? run.jobName : DbtJob.name(run.transformName, run.runId);
        try {
            Optional<Job> job = jobs.jobOfRun(run.runId);
            if (job.isEmpty()) {
                return RunOutcome.failed("Job " + name + " not found after restart");
            }
            name = job.get().getMetadata().getName();
        } catch (KubernetesClientException e) {
            return RunOutcome.failed("cannot look for Job " + name + ": " + e.getMessage());
        }
        execution.log("re-attached to Job " + name + " after a restart");
        LOG.infof("run %s of %s: re-attached to Job %s", run.runId, run.transformName, name);
        Instant started = run.startedAt != null ? run.startedAt : Instant.now();
        return follow(run, name, started.plus(timeout), timeout, execution);
    }

    private RunOutcome follow(
            RunEntity run, String job, Instant deadline, Duration timeout, RunExecution execution) {
        TransformConfig.Kubernetes k = config.kubernetes();
        PodLog log = new PodLog(new DbtProgress(run, execution, runs), k.pollInterval());
        Object wake = new Object();
        execution.onStop(
                () -> {
                    log.stop();
                    synchronized (wake) {
                        wake.notifyAll(); // out of the poll's pause at once
                    }
                });
        Instant runningBy = Instant.now().plus(k.scheduleTimeout());
        String pod = null;
        try {
            while (true) {
                if (execution.isAbandoned()) {
                    return RunOutcome.failed("abandoned: the Job " + job + " keeps running");
                }
                if (execution.isCancelled()) {
                    deleteJob(job);
                    return log.outcome(RunStatus.CANCELLED, null, execution.cancelReason())
                            .withMessageSuffix(where(job, pod, "deleted"));
                }
                if (Instant.now().isAfter(deadline)) {
                    deleteJob(job);
                    return log.outcome(RunStatus.FAILED, null, "timed out after " + timeout)
                            .withMessageSuffix(where(job, pod, "deleted"));
                }
                Optional<Outcome> step = poll(run, job, pod, runningBy, log, execution);
                if (step.isPresent() && step.get().outcome() != null) {
                    return step.get().outcome();
                }
                if (step.isPresent()) {
                    pod = step.get().pod();
                }
                pause(wake, k.pollInterval(), execution);
            }
        } finally {
            log.stop();
        }
    }

    /** One look at the Job and its pod: the pod's name, or the run's outcome when it ended. */
    private record Outcome(String pod, RunOutcome outcome) {}

    private Optional<Outcome> poll(
            RunEntity run,
            String job,
            String knownPod,
            Instant runningBy,
            PodLog log,
            RunExecution execution) {
        try {
            Optional<Job> j = jobs.job(job);
            if (j.isEmpty()) {
                log.finish();
                return ended(
                        log.outcome(
                                RunStatus.FAILED,
                                null,
                                "Job " + job + " was deleted from outside"));
            }
            Optional<Pod> pod = jobs.pod(run.runId);
            String podName = pod.map(p -> p.getMetadata().getName()).orElse(knownPod);
            if (podName != null && !podName.equals(knownPod)) {
                record(run, job, podName);
                execution.log("pod " + podName + " of Job " + job);
            }
            if (pod.isPresent() && started(pod.get())) {
                log.follow(jobs, podName);
            }
            Optional<ContainerStateTerminated> end = pod.flatMap(KubernetesRunner::terminated);
            if (end.isPresent()) {
                log.finish();
                ContainerStateTerminated t = end.get();
                int exit = t.getExitCode() == null ? -1 : t.getExitCode();
                return ended(log.exit(exit, execution).withMessageSuffix(where(job, podName, "")));
            }
            Optional<String> failed = condition(j.get(), "Failed");
            if (failed.isPresent()) {
                log.finish();
                return ended(
                        log.outcome(
                                RunStatus.FAILED, null, "Job " + job + " failed: " + failed.get()));
            }
            if (condition(j.get(), "Complete").isPresent() && pod.isEmpty()) {
                // Ended while nobody watched, its pod already cleaned up: no log, no exit code.
                return ended(
                        new RunOutcome(
                                RunStatus.SUCCEEDED,
                                0,
                                null,
                                List.of(),
                                List.of(),
                                "Job " + job + " completed (its pod and log are gone)"));
            }
            if ((pod.isEmpty() || !started(pod.get())) && Instant.now().isAfter(runningBy)) {
                deleteJob(job);
                return ended(
                        RunOutcome.failed(
                                "the pod of Job "
                                        + job
                                        + " was not running within "
                                        + config.kubernetes().scheduleTimeout()
                                        + ": "
                                        + pod.map(KubernetesRunner::whyNotRunning)
                                                .orElse("no pod was created")
                                        + " (Job deleted)"));
            }
            return Optional.of(new Outcome(podName, null));
        } catch (KubernetesClientException e) {
            // The API server may be briefly unavailable: the deadline bounds the retries.
            LOG.warnf(
                    "run %s: cannot read Job %s (will retry): %s", run.runId, job, e.getMessage());
            return Optional.empty();
        }
    }

    private static boolean ofRun(Optional<Job> job, RunEntity run) {
        return job.map(j -> j.getMetadata().getLabels())
                .map(l -> run.runId.toString().equals(l.get(DbtJob.RUN_ID)))
                .orElse(false);
    }

    private static Optional<Outcome> ended(RunOutcome outcome) {
        return Optional.of(new Outcome(null, outcome));
    }

    private void record(RunEntity run, String job, String pod) {
        run.jobName = job;
        run.podName = pod;
        QuarkusTransaction.requiringNew().run(() -> runs.setJob(run.runId, job, pod));
    }

    private void deleteJob(String job) {
        try {
            jobs.delete(job);
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot delete Job %s: %s", job, e.getMessage());
        }
    }

    private static String where(String job, String pod, String what) {
        return " [Job "
                + job
                + (what.isEmpty() ? "" : " " + what)
                + (pod == null ? "" : ", pod " + pod)
                + "]";
    }

    /** Waits for the next poll; a cancel or stop ends the wait at once. */
    private static void pause(Object wake, Duration d, RunExecution execution) {
        synchronized (wake) {
            if (execution.isCancelled() || execution.isAbandoned()) {
                return;
            }
            try {
                wake.wait(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                execution.abandon(); // the worker is being shut down
            }
        }
    }

    /** The dbt container started (running, or already ended). */
    static boolean started(Pod pod) {
        return container(pod)
                .map(
                        c ->
                                c.getState() != null
                                        && (c.getState().getRunning() != null
                                                || c.getState().getTerminated() != null))
                .orElse(false);
    }

    static Optional<ContainerStateTerminated> terminated(Pod pod) {
        return container(pod).map(c -> c.getState() == null ? null : c.getState().getTerminated());
    }

    private static Optional<ContainerStatus> container(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(c -> DbtJob.CONTAINER.equals(c.getName()))
                .findFirst();
    }

    /** Why a pod is not running: unschedulable, an image that cannot be pulled... */
    static String whyNotRunning(Pod pod) {
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                    return "pod "
                            + pod.getMetadata().getName()
                            + " not scheduled: "
                            + c.getReason()
                            + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")");
                }
            }
        }
        Optional<ContainerStatus> c = container(pod);
        if (c.isPresent()
                && c.get().getState() != null
                && c.get().getState().getWaiting() != null) {
            var waiting = c.get().getState().getWaiting();
            return "pod "
                    + pod.getMetadata().getName()
                    + " waiting: "
                    + waiting.getReason()
                    + (waiting.getMessage() == null ? "" : " (" + waiting.getMessage() + ")");
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "pod " + pod.getMetadata().getName() + " is " + (phase == null ? "pending" : phase);
    }

    private static Optional<String> condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        for (JobCondition c : job.getStatus().getConditions()) {
            if (type.equals(c.getType()) && "True".equals(c.getStatus())) {
                return Optional.of(
                        c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage()));
            }
        }
        return Optional.empty();
    }

    /**
     * The dbt container's log, followed on a thread of its own from the start and re-opened
     * (skipping the lines already read) whenever the stream drops before the run's end.
     */
    static final class PodLog {
        private final DbtProgress progress;
        private final Duration reopenAfter;
        private volatile boolean finishing;
        private volatile boolean stopped;
        private volatile LogWatch current;
        private Thread reader;
        private String pod;
        private int seen;

        PodLog(DbtProgress progress, Duration reopenAfter) {
            this.progress = progress;
            this.reopenAfter = reopenAfter;
        }

        /** Starts following the pod's log (once). */
        synchronized void follow(DbtJobs jobs, String podName) {
            if (reader != null) {
                return;
            }
            pod = podName;
            reader = new Thread(() -> readLoop(jobs), "dbt-log-" + podName);
            reader.setDaemon(true);
            reader.start();
        }

        /** The container ended: reads what is left of its log, then returns. */
        void finish() {
            Thread r;
            synchronized (this) {
                finishing = true;
                r = reader;
            }
            if (r == null) {
                return;
            }
            r.interrupt(); // out of a pause between two streams
            try {
                r.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void stop() {
            stopped = true;
            LogWatch w = current;
            if (w != null) {
                w.close();
            }
        }

        private void readLoop(DbtJobs jobs) {
            while (!stopped) {
                boolean last = finishing;
                readOnce(jobs);
                if (last || stopped) {
                    return;
                }
                try {
                    // A pause before re-opening a dropped stream, on this log thread only, so a
                    // flapping API server is not hammered; finish() interrupts it.
                    Thread.sleep(reopenAfter.toMillis());
                } catch (InterruptedException e) {
                    // finishing: read once more
                }
            }
        }

        private void readOnce(DbtJobs jobs) {
            try (LogWatch w = jobs.followLog(pod);
                    BufferedReader in =
                            new BufferedReader(
                                    new InputStreamReader(w.getOutput(), StandardCharsets.UTF_8))) {
                current = w;
                int n = 0;
                String line;
                while ((line = in.readLine()) != null) {
                    if (++n <= seen) {
                        continue; // read before the stream was re-opened
                    }
                    seen = n;
                    progress.accept(line);
                }
            } catch (Exception e) {
                LOG.debugf("log of pod %s interrupted: %s", pod, e.toString());
            } finally {
                current = null;
            }
        }

        /** The outcome of an exit code, with the nodes the log reported. */
        RunOutcome exit(int exit, RunExecution execution) {
            List<NodeResult> nodes = progress.results();
            return RunOutcome.ofExit(
                    exit,
                    RunResults.summarize(nodes),
                    failures(nodes),
                    nodes,
                    progress.errors(),
                    CliRunner.lastLine(execution));
        }

        /** An outcome that is not dbt's own exit, with the nodes the log reported so far. */
        RunOutcome outcome(RunStatus status, Integer exit, String message) {
            List<NodeResult> nodes = progress.results();
            return new RunOutcome(
                    status,
                    exit,
                    nodes.isEmpty() ? null : RunResults.summarize(nodes),
                    failures(nodes),
                    nodes,
                    message);
        }

        private static List<io.tributary.events.TransformEvent.NodeFailure> failures(
                List<NodeResult> nodes) {
            return new RunResults(null, null, nodes).failures();
        }
    }
}
