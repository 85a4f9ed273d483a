package io.tributary.transform;

import static io.tributary.transform.support.TestSupport.eventOfRun;
import static io.tributary.transform.support.TestSupport.reader;
import static io.tributary.transform.support.TestSupport.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.EventType;
import io.tributary.events.TransformEvent;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.transform.run.RunWorker;
import io.tributary.transform.support.Kubelet;
import io.tributary.transform.support.TransformTestResource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code runner: kubernetes}: each run as a Job. No cluster can run here: the Kubernetes API server
 * is fabric8's {@code KubernetesMockServer} in CRUD mode (the one mock of these tests, see
 * KubernetesStub), and {@link Kubelet} plays the Job controller and the kubelet (the pod from
 * pending to running to terminated, its log as dbt's real {@code --log-format json} output of the
 * demo project, the Job's conditions). PostgreSQL and Kafka are the build's real ones. What a real
 * kubelet, scheduler and garbage collector do is not proven here.
 */
@QuarkusTest
@WithTestResource(
        value = TransformTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "transform-service"),
        scope = TestResourceScope.GLOBAL)
class KubernetesRunnerTest {
    private static final Pattern CREDENTIAL = Pattern.compile(".*(PASSWORD|SECRET|TOKEN|USER).*");
    static final String FAILING_TEST =
            "test.tributary_demo.not_null_stg_orders_customer_id.af79d5e4b5";

    @InjectInfrastructure Infrastructure infra;
    @Inject KubernetesClient client;
    @Inject RunWorker worker;
    @Inject DataSource dataSource;
    Kubelet kubelet;

    @BeforeEach
    void kubelet() {
        kubelet = new Kubelet(client);
    }

    static String run(String name, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(extra);
        body.put("runner", "kubernetes");
        writer().body(body).put("/api/transforms/" + name).then().statusCode(201);
        return writer().post("/api/transforms/" + name + "/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("runId");
    }

    @Test
    void aRunAsAJobSucceedsWithPerNodeResultsFromTheStreamedLog() throws Exception {
        String runId = run("k8s_ok", Map.of("command", "build"));
        Job job = kubelet.awaitJob(runId);
        assertThat(job.getMetadata().getName()).isEqualTo("dbt-k8s-ok-" + runId.substring(0, 8));
        Pod pod = kubelet.running(kubelet.createPod(job));
        List<String> log = fixture("build-ok.jsonl").lines().toList();
        int half = log.size() / 2;
        kubelet.log(pod, String.join("\n", log.subList(0, half)));
        // Progress while the pod runs: the nodes of the first half of the log are stored.
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                !reader().get("/api/runs/" + runId)
                                        .jsonPath()
                                        .getList("nodes")
                                        .isEmpty());
        reader().get("/api/runs/" + runId)
                .then()
                .body("status", equalTo("running"))
                .body("runner", equalTo("kubernetes"))
                .body("jobName", equalTo(job.getMetadata().getName()))
                .body("podName", equalTo(pod.getMetadata().getName()));
        kubelet.log(pod, String.join("\n", log.subList(half, log.size())));
        kubelet.exit(pod, 0);

        TransformEvent ok = event("k8s_ok", EventType.TRANSFORM_SUCCEEDED, runId);
        assertThat(ok.exitCode()).isZero();
        // The demo project's build: 5 models, 16 tests passed (as its run_results.json says).
        assertThat(ok.summary()).isEqualTo(new TransformEvent.Summary(5, 0, 0, 16, 0, 0));
        assertThat(ok.message())
                .contains(job.getMetadata().getName())
                .contains(pod.getMetadata().getName());
        List<String> statuses =
                reader().get("/api/runs/" + runId).jsonPath().getList("nodes.status", String.class);
        assertThat(statuses).hasSize(21).containsOnly("success", "pass");
        assertThat(kubelet.jobs(runId)).hasSize(1);
    }

    @Test
    void aFailingTestNodeFailsTheRunNamingIt() throws Exception {
        String runId = run("k8s_tests_fail", Map.of());
        Pod pod = kubelet.running(kubelet.createPod(kubelet.awaitJob(runId)));
        kubelet.log(pod, fixture("build-test-failures.jsonl"));
        kubelet.exit(pod, 1);

        TransformEvent failed = event("k8s_tests_fail", EventType.TRANSFORM_FAILED, runId);
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.message()).contains("node(s) failed").contains(FAILING_TEST);
        assertThat(failed.failures())
                .anySatisfy(
                        f -> {
                            assertThat(f.uniqueId()).isEqualTo(FAILING_TEST);
                            assertThat(f.status()).isEqualTo("fail");
                        });
        assertThat(failed.summary().fail()).isEqualTo(failed.failures().size());
        // The event says where dbt ran (contract 0.4.0).
        assertThat(failed.kubernetes().job())
                .isEqualTo(pod.getMetadata().getLabels().get("job-name"));
        assertThat(failed.kubernetes().pod()).isEqualTo(pod.getMetadata().getName());
        assertThat(failed.kubernetes().namespace()).isEqualTo(pod.getMetadata().getNamespace());
    }

    @Test
    void aRunPastItsTimeoutDeletesItsJobInTheForeground() {
        String runId = run("k8s_timeout", Map.of("timeout", "PT3S"));
        Job job = kubelet.awaitJob(runId);
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(3L);
        kubelet.running(kubelet.createPod(job));

        TransformEvent failed = event("k8s_timeout", EventType.TRANSFORM_FAILED, runId);
        assertThat(failed.message())
                .startsWith("timed out after PT3S")
                .contains("Job " + job.getMetadata().getName() + " deleted");
        assertThat(kubelet.deletions()).contains(job.getMetadata().getName() + " Foreground");
        assertThat(kubelet.job(runId)).isEmpty();
    }

    @Test
    void cancellingARunDeletesItsJobInTheForeground() {
        String runId = run("k8s_cancel", Map.of());
        Job job = runningJob(runId);
        writer().delete("/api/runs/" + runId).then().statusCode(202);

        TransformEvent failed = event("k8s_cancel", EventType.TRANSFORM_FAILED, runId);
        assertThat(failed.message()).startsWith("cancelled by writer");
        reader().get("/api/runs/" + runId).then().body("status", equalTo("cancelled"));
        assertThat(kubelet.deletions()).contains(job.getMetadata().getName() + " Foreground");
        assertThat(kubelet.job(runId)).isEmpty();
    }

    @Test
    void aRestartedServiceReattachesToTheRunningJobInsteadOfQueueingAgain() throws Exception {
        String runId = run("k8s_restart", Map.of());
        Job job = kubelet.awaitJob(runId);
        Pod pod = kubelet.running(kubelet.createPod(job));
        List<String> log = fixture("build-ok.jsonl").lines().toList();
        kubelet.log(pod, String.join("\n", log.subList(0, 20)));
        // The service stops: it stops following, the Job goes on ...
        assertThat(worker.abandonLocal(UUID.fromString(runId))).isTrue();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> worker.liveTail(UUID.fromString(runId)).isEmpty());
        assertThat(kubelet.job(runId)).isPresent();
        // ... and starts again: the run is one of an earlier boot of this instance.
        setOwner(runId, "test-instance/previous-boot");
        worker.recoverAtStartup();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> worker.liveTail(UUID.fromString(runId)).isPresent());
        reader().get("/api/runs/" + runId).then().body("status", equalTo("running"));
        kubelet.log(pod, String.join("\n", log.subList(20, log.size())));
        kubelet.exit(pod, 0);

        TransformEvent ok = event("k8s_restart", EventType.TRANSFORM_SUCCEEDED, runId);
        assertThat(ok.summary()).isEqualTo(new TransformEvent.Summary(5, 0, 0, 16, 0, 0));
        assertThat(kubelet.jobs(runId)).hasSize(1);
        // Not queued again: the transform has this one run.
        reader().get("/api/transforms/k8s_restart/runs")
                .then()
                .body("size()", equalTo(1))
                .body("[0].logTail", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aRunWhoseJobVanishedWhileTheServiceWasDownFailsWithTheReason() throws Exception {
        String runId = run("k8s_vanished", Map.of());
        Job job = kubelet.awaitJob(runId);
        kubelet.running(kubelet.createPod(job));
        assertThat(worker.abandonLocal(UUID.fromString(runId))).isTrue();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> worker.liveTail(UUID.fromString(runId)).isEmpty());
        kubelet.deleteJob(job);
        setOwner(runId, "test-instance/previous-boot");
        worker.recoverAtStartup();

        TransformEvent failed = event("k8s_vanished", EventType.TRANSFORM_FAILED, runId);
        assertThat(failed.message())
                .isEqualTo("Job " + job.getMetadata().getName() + " not found after restart");
    }

    @Test
    void aJobDeletedFromOutsideFailsTheRunWithTheReason() {
        String runId = run("k8s_deleted", Map.of());
        Job job = runningJob(runId);
        kubelet.deleteJob(job);

        TransformEvent failed = event("k8s_deleted", EventType.TRANSFORM_FAILED, runId);
        assertThat(failed.message())
                .isEqualTo("Job " + job.getMetadata().getName() + " was deleted from outside");
    }

    @Test
    void aJobTheControllerFailedWithoutAnExitCodeFailsTheRunWithItsReason() {
        String runId = run("k8s_deadline", Map.of());
        Job job = runningJob(runId);
        kubelet.failJob(job, "DeadlineExceeded", "Job was active longer than specified deadline");

        TransformEvent failed = event("k8s_deadline", EventType.TRANSFORM_FAILED, runId);
        assertThat(failed.message())
                .startsWith(
                        "Job "
                                + job.getMetadata().getName()
                                + " failed: DeadlineExceeded: Job was active longer than specified"
                                + " deadline");
        assertThat(failed.exitCode()).isNull();
    }

    @Test
    void aPodThatNeverSchedulesFailsTheRunWithTheSchedulersReason() {
        String runId = run("k8s_unschedulable", Map.of());
        Job job = kubelet.awaitJob(runId);
        kubelet.unschedulable(
                kubelet.createPod(job), "0/3 nodes are available: 3 Insufficient memory.");

        TransformEvent failed = event("k8s_unschedulable", EventType.TRANSFORM_FAILED, runId);
        assertThat(failed.message())
                .contains("was not running within PT6S")
                .contains("Unschedulable")
                .contains("0/3 nodes are available: 3 Insufficient memory.");
        assertThat(kubelet.deletions()).contains(job.getMetadata().getName() + " Foreground");
    }

    @Test
    void noCredentialIsALiteralOfTheJobSpec() {
        String runId = run("k8s_secrets", Map.of());
        Job job = kubelet.awaitJob(runId);
        List<EnvVar> env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertThat(env)
                .extracting(EnvVar::getName)
                .contains("WAREHOUSE_USER", "WAREHOUSE_PASSWORD");
        for (EnvVar e : env) {
            if (CREDENTIAL.matcher(e.getName()).matches()) {
                assertThat(e.getValue()).as(e.getName()).isNull();
                assertThat(e.getValueFrom().getSecretKeyRef().getName())
                        .isEqualTo("tributary-warehouse");
            }
        }
        // The warehouse password this service has (for its cli runs) is nowhere in the Job.
        String password =
                ConfigProvider.getConfig()
                        .getValue("tributary.transform.dbt-env.WAREHOUSE_PASSWORD", String.class);
        assertThat(Serialization.asYaml(job)).doesNotContain(password);
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .doesNotContain("sh", "-c", "/bin/sh");
        writer().delete("/api/runs/" + runId).then().statusCode(202);
        event("k8s_secrets", EventType.TRANSFORM_FAILED, runId);
    }

    @Test
    void withOneJobAllowedASecondProjectsRunWaitsUntilTheFirstJobEnds() {
        String first = run("k8s_cap_a", Map.of("projectDir", "a"));
        Job a = kubelet.awaitJob(first);
        Pod pod = kubelet.running(kubelet.createPod(a));
        String second = run("k8s_cap_b", Map.of("projectDir", "b"));
        // Another project, but max-concurrent-jobs is 1: it stays queued, no Job.
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                "queued"
                                                .equals(
                                                        reader().get("/api/runs/" + second)
                                                                .jsonPath()
                                                                .getString("status"))
                                        && kubelet.job(second).isEmpty());
        kubelet.exit(pod, 0);
        event("k8s_cap_a", EventType.TRANSFORM_SUCCEEDED, first);

        Job b = kubelet.awaitJob(second);
        kubelet.exit(kubelet.running(kubelet.createPod(b)), 0);
        event("k8s_cap_b", EventType.TRANSFORM_SUCCEEDED, second);
    }

    @Test
    void kubernetesDefinitionsAreValidated() {
        writer().body(Map.of("runner", "kubernetes", "projectDir", "../etc"))
                .put("/api/transforms/k8s_bad")
                .then()
                .statusCode(400)
                .body("detail", containsString("projectDir (runner: kubernetes)"));
        writer().body(Map.of("runner", "kubernetes", "profilesDir", "demo"))
                .put("/api/transforms/k8s_bad")
                .then()
                .statusCode(400)
                .body(
                        "detail",
                        containsString("profilesDir and profile apply to runner: cli only"));
        // The definitions file declares one too (loaded at start).
        reader().get("/api/transforms/shop_on_kubernetes")
                .then()
                .statusCode(200)
                .body("runner", equalTo("kubernetes"));
    }

    /** The run's Job, its pod running and seen by the runner. */
    private Job runningJob(String runId) {
        Job job = kubelet.awaitJob(runId);
        kubelet.running(kubelet.createPod(job));
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                reader().get("/api/runs/" + runId).jsonPath().getString("podName")
                                        != null);
        return job;
    }

    private TransformEvent event(String transform, EventType type, String runId) {
        return eventOfRun(infra.kafkaBootstrapServers(), transform, type, runId);
    }

    private void setOwner(String runId, String owner) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("update transform_run set owner = ? where run_id = ?")) {
            ps.setString(1, owner);
            ps.setObject(2, UUID.fromString(runId));
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    static String fixture(String name) throws IOException {
        try (InputStream in =
                KubernetesRunnerTest.class.getResourceAsStream("/dbt-fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
