package io.tributary.transform.kubernetes;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.tributary.transform.config.TransformConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;

/**
 * What the kubernetes runner does with the API server, and nothing more (the RBAC it needs in the
 * dbt namespace: jobs create/get/list/watch/delete, pods get/list, pods/log get).
 */
@ApplicationScoped
public class DbtJobs {
    @Inject KubernetesClient client;
    @Inject TransformConfig config;

    /** Creates the Job; false when a Job of that name exists already (the run's own, re-used). */
    public boolean create(Job job) {
        try {
            client.batch().v1().jobs().inNamespace(namespace()).resource(job).create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    public Optional<Job> job(String name) {
        return Optional.ofNullable(
                client.batch().v1().jobs().inNamespace(namespace()).withName(name).get());
    }

    /** The run's Job, found by its {@code tributary.io/run-id} label. */
    public Optional<Job> jobOfRun(UUID runId) {
        return client
                .batch()
                .v1()
                .jobs()
                .inNamespace(namespace())
                .withLabel(DbtJob.RUN_ID, runId.toString())
                .list()
                .getItems()
                .stream()
                .findFirst();
    }

    /** Deletes the Job and, first, its pod (foreground propagation); false when it was gone. */
    public boolean delete(String name) {
        return !client.batch()
                .v1()
                .jobs()
                .inNamespace(namespace())
                .withName(name)
                .withPropagationPolicy(DeletionPropagation.FOREGROUND)
                .delete()
                .isEmpty();
    }

    /** The run's pod (the newest, should there be more than one). */
    public Optional<Pod> pod(UUID runId) {
        return client
                .pods()
                .inNamespace(namespace())
                .withLabel(DbtJob.RUN_ID, runId.toString())
                .list()
                .getItems()
                .stream()
                .max(
                        Comparator.comparing(
                                p -> String.valueOf(p.getMetadata().getCreationTimestamp())));
    }

    /** Follows the dbt container's log from its start (the stream ends when the container does). */
    public LogWatch followLog(String pod) {
        return client.pods()
                .inNamespace(namespace())
                .withName(pod)
                .inContainer(DbtJob.CONTAINER)
                .withReadyWaitTimeout(0) // the runner opens it once the container started
                .watchLog();
    }

    public String namespace() {
        return config.kubernetes().namespace();
    }
}
