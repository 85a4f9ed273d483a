package io.tributary.transform.support;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Plays the Job controller and the kubelet against the API server mock: creates a Job's pod, moves
 * it through pending, running and terminated, writes its container's log, and sets the Job's
 * conditions, as a cluster would.
 */
public final class Kubelet {
    public static final String NAMESPACE = "tributary";
    private final KubernetesClient client;

    public Kubelet(KubernetesClient client) {
        this.client = client;
    }

    /** The Job of a run, once the runner created it. */
    public Job awaitJob(String runId) {
        await().atMost(TestSupport.DBT_WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> job(runId).isPresent());
        return job(runId).orElseThrow();
    }

    public Optional<Job> job(String runId) {
        return jobs(runId).stream().findFirst();
    }

    public List<Job> jobs(String runId) {
        return client.batch()
                .v1()
                .jobs()
                .inNamespace(NAMESPACE)
                .withLabel("tributary.io/run-id", runId)
                .list()
                .getItems();
    }

    /** The Job controller's pod for the Job: pending, not yet scheduled. */
    public Pod createPod(Job job) {
        Map<String, String> labels =
                new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
        labels.put("job-name", job.getMetadata().getName());
        labels.put("batch.kubernetes.io/job-name", job.getMetadata().getName());
        Pod pod =
                new PodBuilder()
                        .withNewMetadata()
                        .withName(
                                job.getMetadata().getName()
                                        + "-"
                                        + UUID.randomUUID().toString().substring(0, 5))
                        .withNamespace(NAMESPACE)
                        .withLabels(labels)
                        .endMetadata()
                        .withSpec(job.getSpec().getTemplate().getSpec())
                        .build();
        client.pods().inNamespace(NAMESPACE).resource(pod).create();
        return status(pod, "Pending", null);
    }

    /** The scheduler cannot place the pod. */
    public Pod unschedulable(Pod pod, String message) {
        Pod p = client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).get();
        p.setStatus(
                new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                        .withPhase("Pending")
                        .withConditions(
                                new PodConditionBuilder()
                                        .withType("PodScheduled")
                                        .withStatus("False")
                                        .withReason("Unschedulable")
                                        .withMessage(message)
                                        .build())
                        .build());
        return client.pods().inNamespace(NAMESPACE).resource(p).updateStatus();
    }

    /** Scheduled, image pulled, the dbt container running. */
    public Pod running(Pod pod) {
        return status(
                pod,
                "Running",
                new ContainerStatusBuilder()
                        .withName("dbt")
                        .withReady(true)
                        .withNewState()
                        .withNewRunning()
                        .withStartedAt("2026-11-30T12:00:00Z")
                        .endRunning()
                        .endState()
                        .build());
    }

    /** The dbt container exited with {@code code}; the Job controller marks the Job. */
    public void exit(Pod pod, int code) {
        status(
                pod,
                code == 0 ? "Succeeded" : "Failed",
                new ContainerStatusBuilder()
                        .withName("dbt")
                        .withNewState()
                        .withNewTerminated()
                        .withExitCode(code)
                        .withReason(code == 0 ? "Completed" : "Error")
                        .endTerminated()
                        .endState()
                        .build());
        String jobName = pod.getMetadata().getLabels().get("job-name");
        Job job = client.batch().v1().jobs().inNamespace(NAMESPACE).withName(jobName).get();
        if (job != null) {
            job.setStatus(
                    new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
                            .withSucceeded(code == 0 ? 1 : 0)
                            .withFailed(code == 0 ? 0 : 1)
                            .withConditions(
                                    new JobConditionBuilder()
                                            .withType(code == 0 ? "Complete" : "Failed")
                                            .withStatus("True")
                                            .withReason(code == 0 ? null : "BackoffLimitExceeded")
                                            .build())
                            .build());
            client.batch().v1().jobs().inNamespace(NAMESPACE).resource(job).updateStatus();
        }
    }

    /** Appends lines to the dbt container's log. */
    public void log(Pod pod, String lines) {
        RestAssured.given()
                .body(lines.endsWith("\n") ? lines : lines + "\n")
                .put(stub() + "stub/logs/" + pod.getMetadata().getName())
                .then()
                .statusCode(204);
    }

    /** Every Job deletion the API server received: {@code <job> <propagationPolicy>}. */
    public List<String> deletions() {
        return RestAssured.get(stub() + "stub/deletes").jsonPath().getList("", String.class);
    }

    /**
     * The Job controller gives up on a Job on its own (e.g. {@code activeDeadlineSeconds} passed):
     * it deletes the Job's pods and marks the Job {@code Failed} with {@code reason}; no container
     * exit code is left to read.
     */
    public void failJob(Job job, String reason, String message) {
        client.pods()
                .inNamespace(NAMESPACE)
                .withLabel("job-name", job.getMetadata().getName())
                .delete();
        Job current =
                client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(NAMESPACE)
                        .withName(job.getMetadata().getName())
                        .get();
        current.setStatus(
                new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
                        .withFailed(1)
                        .withConditions(
                                new JobConditionBuilder()
                                        .withType("Failed")
                                        .withStatus("True")
                                        .withReason(reason)
                                        .withMessage(message)
                                        .build())
                        .build());
        client.batch().v1().jobs().inNamespace(NAMESPACE).resource(current).updateStatus();
    }

    public void deleteJob(Job job) {
        client.batch()
                .v1()
                .jobs()
                .inNamespace(NAMESPACE)
                .withName(job.getMetadata().getName())
                .delete();
    }

    private Pod status(Pod pod, String phase, io.fabric8.kubernetes.api.model.ContainerStatus dbt) {
        Pod p = client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).get();
        var status = new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase(phase);
        if (!"Pending".equals(phase)) {
            status.withConditions(
                    new PodConditionBuilder().withType("PodScheduled").withStatus("True").build());
        }
        if (dbt != null) {
            status.withContainerStatuses(dbt);
        }
        p.setStatus(status.build());
        return client.pods().inNamespace(NAMESPACE).resource(p).updateStatus();
    }

    private static String stub() {
        return ConfigProvider.getConfig()
                .getValue("tributary.transform.kubernetes.master-url", String.class);
    }
}
