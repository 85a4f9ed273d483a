package io.tributary.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * dbt runs as Kubernetes Jobs (issue 20): the runner's RBAC, the dbt pods' NetworkPolicy and
 * ServiceAccount, the prod overlay's runner settings (DbtRunnerPolicy, part of every overlay's
 * policy check in KubernetesManifestsTest), and the golden Job the runner builds. Each rule is
 * broken once on a copy and must be reported.
 */
class DbtRunnerTest {
    static final Path GOLDEN_JOB = Path.of("deploy/kubernetes/examples/dbt-run-job.yaml");

    private static final KubernetesPolicy.Expectations PROD =
            new KubernetesPolicy.Expectations(true, true, false);

    /** A Job as the agreed interface describes it, independent of the runner's golden file. */
    private static final String SAMPLE_JOB =
            """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: dbt-daily-orders-0a1b2c3d
              labels: &labels
                app.kubernetes.io/name: tributary-dbt
                app.kubernetes.io/part-of: tributary
                app.kubernetes.io/component: dbt-run
                tributary.io/run-id: 0a1b2c3d-0000-4000-8000-000000000001
                tributary.io/transform: daily_orders
            spec:
              backoffLimit: 0
              activeDeadlineSeconds: 3600
              ttlSecondsAfterFinished: 3600
              template:
                metadata:
                  labels: *labels
                spec:
                  serviceAccountName: tributary-dbt
                  automountServiceAccountToken: false
                  restartPolicy: Never
                  securityContext:
                    runAsNonRoot: true
                    runAsUser: 10001
                    seccompProfile: {type: RuntimeDefault}
                  containers:
                    - name: dbt
                      image: registry.example.com/tributary/dbt:0.1.0
                      args: [--log-format, json, build]
                      env:
                        - {name: WAREHOUSE_HOST, value: warehouse-rw.tributary-data.svc}
                        - name: WAREHOUSE_USER
                          valueFrom: {secretKeyRef: {name: tributary-warehouse, key: WAREHOUSE_USER}}
                        - name: WAREHOUSE_PASSWORD
                          valueFrom: {secretKeyRef: {name: tributary-warehouse, key: WAREHOUSE_PASSWORD}}
                      resources:
                        requests: {cpu: 500m, memory: 512Mi}
                        limits: {memory: 1Gi}
                      securityContext:
                        readOnlyRootFilesystem: true
                        allowPrivilegeEscalation: false
                        capabilities: {drop: [ALL]}
                      volumeMounts: [{name: tmp, mountPath: /tmp}]
                  volumes: [{name: tmp, emptyDir: {}}]
            """;

    private static List<ObjectNode> prod() {
        return KubernetesManifestsTest.prod();
    }

    private static List<String> prodAfter(Consumer<List<ObjectNode>> mutation) {
        List<ObjectNode> copy = prod();
        mutation.accept(copy);
        return KubernetesPolicy.check(copy, PROD);
    }

    private static ObjectNode find(List<ObjectNode> resources, String kind, String name) {
        return KubernetesManifestsTest.find(resources, kind, name);
    }

    private static ArrayNode roleRules(List<ObjectNode> rs) {
        return (ArrayNode) find(rs, "Role", "tributary-dbt-runner").get("rules");
    }

    private static ArrayNode runnerEnv(List<ObjectNode> rs) {
        return (ArrayNode)
                find(rs, "Deployment", "transform-service")
                        .at("/spec/template/spec/containers/0/env");
    }

    private static void setEnv(List<ObjectNode> rs, String name, String value) {
        for (JsonNode e : runnerEnv(rs)) {
            if (e.path("name").asText().equals(name)) {
                ((ObjectNode) e).put("value", value);
                return;
            }
        }
        runnerEnv(rs).addObject().put("name", name).put("value", value);
    }

    private static ObjectNode dbtPolicy(List<ObjectNode> rs) {
        return find(rs, "NetworkPolicy", "tributary-dbt");
    }

    // --- what the manifests are -------------------------------------------------------------

    @Test
    void prodRunsTheKubernetesRunnerWithExactlyTheAgreedRights() {
        List<ObjectNode> rs = prod();
        assertThat(DbtRunnerPolicy.check(rs, true)).isEmpty();
        ObjectNode binding = find(rs, "RoleBinding", "transform-service-dbt-runner");
        assertThat(binding.at("/subjects/0/namespace").asText())
                .as("kustomize gives the subject the overlay's namespace")
                .isEqualTo("tributary");
        ObjectNode transform = find(rs, "Deployment", "transform-service");
        assertThat(DbtRunnerPolicy.usesApiServer(transform)).isTrue();
        assertThat(DbtRunnerPolicy.runnerVariables(transform))
                .contains(
                        "TRIBUTARY_TRANSFORM_KUBERNETES_NAMESPACE",
                        "TRIBUTARY_TRANSFORM_KUBERNETES_IMAGE",
                        "TRIBUTARY_TRANSFORM_KUBERNETES_RESOURCES_LIMITS_MEMORY",
                        "TRIBUTARY_TRANSFORM_KUBERNETES_NODE_SELECTOR_WORKLOAD",
                        "TRIBUTARY_TRANSFORM_KUBERNETES_TOLERATIONS",
                        "TRIBUTARY_TRANSFORM_KUBERNETES_WAREHOUSE_SECRET");
        assertThat(
                        find(rs, "ExternalSecret", "tributary-warehouse")
                                .at("/spec/data")
                                .findValuesAsText("secretKey"))
                .containsExactly("WAREHOUSE_USER", "WAREHOUSE_PASSWORD");
    }

    @Test
    void devRendersTheRbacButLeavesTheServiceWithoutAToken() {
        List<ObjectNode> dev = Kustomize.build(Repo.path("deploy/kubernetes/overlays/dev"));
        ObjectNode transform = find(dev, "Deployment", "transform-service");
        assertThat(DbtRunnerPolicy.usesApiServer(transform)).isFalse();
        assertThat(transform.at("/spec/template/spec/automountServiceAccountToken").asBoolean())
                .isFalse();
        assertThat(
                        find(dev, "RoleBinding", "transform-service-dbt-runner")
                                .at("/subjects/0/namespace")
                                .asText())
                .isEqualTo("tributary-dev");
    }

    @Test
    void theSettingsAreReadFromTheTransformServicesMapping() {
        RunnerSettings settings = DbtRunnerPolicy.settings();
        assertThat(settings.properties())
                .contains(
                        "tributary.transform.kubernetes.namespace",
                        "tributary.transform.kubernetes.image",
                        "tributary.transform.kubernetes.warehouse-secret",
                        "tributary.transform.kubernetes.resources.limits.memory",
                        "tributary.transform.kubernetes.max-concurrent-jobs");
        assertThat(settings.maps()).contains("tributary.transform.kubernetes.node-selector");
        assertThat(settings.knowsVariable("TRIBUTARY_TRANSFORM_KUBERNETES_RESOURCES_REQUESTS_CPU"))
                .isTrue();
        assertThat(settings.knowsVariable("TRIBUTARY_TRANSFORM_KUBERNETES_NODE_SELECTOR_POOL"))
                .isTrue();
        assertThat(settings.knowsVariable("TRIBUTARY_TRANSFORM_KUBERNETES_NODE_SELECTOR_NODE_POOL"))
                .as("SmallRye cannot read a two-word map key from the environment")
                .isFalse();
        assertThat(settings.knowsVariable("TRIBUTARY_TRANSFORM_KUBERNETES_IMAGES")).isFalse();
        assertThat(settings.knowsProperty("tributary.transform.kubernetes.node-selector.\"a.b/c\""))
                .isTrue();

        RunnerSettings parsed =
                RunnerSettings.parse(
                        """
                        interface Kubernetes {
                            /** a comment() ; */
                            @WithDefault("x")
                            String namespace();
                            Optional<List<String>> tolerations();
                            Map<String, String> nodeSelector();
                            Group resources();
                        }
                        interface Group { Optional<String> cpuLimit(); }
                        """);
        assertThat(parsed.properties())
                .containsExactly(
                        "tributary.transform.kubernetes.namespace",
                        "tributary.transform.kubernetes.resources.cpu-limit",
                        "tributary.transform.kubernetes.tolerations");
        assertThatThrownBy(() -> RunnerSettings.parse("interface Other { String a(); }"))
                .hasMessageContaining("no interface Kubernetes");
    }

    // --- RBAC: exactly the agreed rights ----------------------------------------------------

    @Test
    void extraOrMissingRightsAreRejected() {
        assertThat(prodAfter(rs -> ((ArrayNode) roleRules(rs).get(0).get("verbs")).add("*")))
                .contains(
                        "Role/tributary/tributary-dbt-runner: grants batch/jobs *, more than the"
                                + " runner needs");
        assertThat(
                        prodAfter(
                                rs ->
                                        ((ArrayNode) roleRules(rs).get(1).get("resources"))
                                                .add("secrets")))
                .anyMatch(v -> v.contains("grants /secrets get"));
        assertThat(
                        prodAfter(
                                rs ->
                                        ((ArrayNode) roleRules(rs).get(2).get("resources"))
                                                .add("pods/exec")))
                .anyMatch(v -> v.contains("grants /pods/exec get"));
        assertThat(prodAfter(rs -> ((ArrayNode) roleRules(rs).get(1).get("verbs")).add("create")))
                .anyMatch(v -> v.contains("grants /pods create"));
        assertThat(prodAfter(rs -> ((ArrayNode) roleRules(rs).get(0).get("apiGroups")).set(0, "*")))
                .anyMatch(v -> v.contains("grants */jobs create"));
        assertThat(
                        prodAfter(
                                rs ->
                                        ((ObjectNode) roleRules(rs).get(0))
                                                .putArray("resourceNames")
                                                .add("x")))
                .anyMatch(v -> v.contains("resourceNames"));
        assertThat(prodAfter(rs -> ((ArrayNode) roleRules(rs).get(0).get("verbs")).remove(4)))
                .contains(
                        "Role/tributary/tributary-dbt-runner: lacks what the runner needs:"
                                + " [batch/jobs delete]");
    }

    @Test
    void wrongBindingsAndClusterWideRightsAreRejected() {
        assertThat(
                        prodAfter(
                                rs ->
                                        ((ObjectNode)
                                                        find(
                                                                        rs,
                                                                        "RoleBinding",
                                                                        "transform-service-dbt-runner")
                                                                .get("roleRef"))
                                                .put("kind", "ClusterRole")
                                                .put("name", "edit")))
                .anyMatch(v -> v.contains("binds ClusterRole edit"));
        assertThat(
                        prodAfter(
                                rs ->
                                        ((ArrayNode)
                                                        find(
                                                                        rs,
                                                                        "RoleBinding",
                                                                        "transform-service-dbt-runner")
                                                                .get("subjects"))
                                                .addObject()
                                                .put("kind", "ServiceAccount")
                                                .put("name", "tributary-dbt")
                                                .put("namespace", "tributary")))
                .anyMatch(v -> v.contains("binds ServiceAccount tributary-dbt"));
        assertThat(
                        prodAfter(
                                rs -> {
                                    ObjectNode crb = Repo.JSON.createObjectNode();
                                    crb.put("apiVersion", "rbac.authorization.k8s.io/v1")
                                            .put("kind", "ClusterRoleBinding")
                                            .putObject("metadata")
                                            .put("name", "tributary-admin");
                                    rs.add(crb);
                                }))
                .anyMatch(v -> v.contains("ClusterRoleBinding//tributary-admin: no cluster-wide"));
        assertThat(
                        prodAfter(
                                rs ->
                                        rs.remove(
                                                find(
                                                        rs,
                                                        "RoleBinding",
                                                        "transform-service-dbt-runner"))))
                .anyMatch(v -> v.contains("bound to the runner's Role once, found 0"));
        assertThat(
                        prodAfter(
                                rs ->
                                        find(rs, "ServiceAccount", "tributary-dbt")
                                                .put("automountServiceAccountToken", true)))
                .anyMatch(
                        v ->
                                v.contains(
                                        "tributary-dbt: automountServiceAccountToken must be false"));
    }

    // --- the dbt pods' NetworkPolicy --------------------------------------------------------

    @Test
    void dbtPodsReachOnlyDnsAndTheWarehouse() {
        assertThat(
                        prodAfter(
                                rs ->
                                        ((ObjectNode) dbtPolicy(rs).get("spec"))
                                                .putArray("ingress")
                                                .addObject()
                                                .putArray("from")
                                                .addObject()
                                                .putObject("podSelector")))
                .anyMatch(v -> v.contains("dbt pods take no connections"));
        assertThat(
                        prodAfter(
                                rs -> {
                                    ObjectNode rule =
                                            ((ArrayNode) dbtPolicy(rs).at("/spec/egress"))
                                                    .addObject();
                                    rule.putArray("to")
                                            .addObject()
                                            .putObject("ipBlock")
                                            .put("cidr", "0.0.0.0/0");
                                    rule.putArray("ports").addObject().put("port", 443);
                                }))
                .anyMatch(v -> v.contains("may reach DNS and the warehouse only"));
        assertThat(
                        prodAfter(
                                rs ->
                                        ((ObjectNode) dbtPolicy(rs).at("/spec/egress/1/ports/0"))
                                                .put("port", 5433)))
                .anyMatch(v -> v.contains("may reach DNS and the warehouse only"));
        assertThat(
                        prodAfter(
                                rs ->
                                        ((ObjectNode)
                                                        dbtPolicy(rs)
                                                                .at(
                                                                        "/spec/egress/0/to/0/podSelector/matchLabels"))
                                                .put("k8s-app", "anything")))
                .anyMatch(v -> v.contains("may reach DNS and the warehouse only"));
        assertThat(prodAfter(rs -> rs.remove(dbtPolicy(rs))))
                .anyMatch(v -> v.startsWith("no NetworkPolicy selects the dbt pods"));
        assertThat(
                        prodAfter(
                                rs -> {
                                    ObjectNode to =
                                            (ObjectNode) dbtPolicy(rs).at("/spec/egress/1/to/0");
                                    to.removeAll();
                                    to.putObject("ipBlock").put("cidr", "10.20.30.40/32");
                                }))
                .as("a warehouse outside the cluster, by address")
                .isEmpty();
    }

    @Test
    void gitSyncMayAlsoReachTheGitHostButNothingElse() {
        Consumer<List<ObjectNode>> gitHost =
                rs -> {
                    ObjectNode rule = ((ArrayNode) dbtPolicy(rs).at("/spec/egress")).addObject();
                    rule.putArray("to")
                            .addObject()
                            .putObject("ipBlock")
                            .put("cidr", "140.82.112.0/20");
                    rule.putArray("ports").addObject().put("protocol", "TCP").put("port", 443);
                };
        assertThat(prodAfter(gitHost)).anyMatch(v -> v.contains("may reach DNS and the warehouse"));
        assertThat(
                        prodAfter(
                                gitHost.andThen(
                                        rs -> {
                                            setEnv(
                                                    rs,
                                                    "TRIBUTARY_TRANSFORM_KUBERNETES_PROJECT_SOURCE",
                                                    "git-sync");
                                            setEnv(
                                                    rs,
                                                    "TRIBUTARY_TRANSFORM_KUBERNETES_GIT_SYNC_REPO",
                                                    "https://github.com/acme/dbt.git");
                                            setEnv(
                                                    rs,
                                                    "TRIBUTARY_TRANSFORM_KUBERNETES_GIT_SYNC_IMAGE",
                                                    "registry.k8s.io/git-sync/git-sync:v4.4.0");
                                        })))
                .isEmpty();
        assertThat(
                        prodAfter(
                                rs ->
                                        setEnv(
                                                rs,
                                                "TRIBUTARY_TRANSFORM_KUBERNETES_PROJECT_SOURCE",
                                                "git-sync")))
                .anyMatch(
                        v ->
                                v.contains(
                                        "git-sync needs TRIBUTARY_TRANSFORM_KUBERNETES_GIT_SYNC_REPO"));
    }

    // --- the runner's settings on the transform-service -------------------------------------

    @Test
    void unknownOrUnsafeRunnerSettingsAreRejected() {
        assertThat(prodAfter(rs -> setEnv(rs, "TRIBUTARY_TRANSFORM_KUBERNETES_IMAGES", "x:1")))
                .anyMatch(
                        v ->
                                v.contains(
                                        "TRIBUTARY_TRANSFORM_KUBERNETES_IMAGES is no setting of the kubernetes runner"));
        assertThat(
                        prodAfter(
                                rs ->
                                        setEnv(
                                                rs,
                                                "TRIBUTARY_TRANSFORM_KUBERNETES_NODE_SELECTOR_NODE_POOL",
                                                "dbt")))
                .anyMatch(v -> v.contains("NODE_SELECTOR_NODE_POOL is no setting"));
        assertThat(
                        prodAfter(
                                rs ->
                                        setEnv(
                                                rs,
                                                "TRIBUTARY_TRANSFORM_KUBERNETES_IMAGE",
                                                "registry.example.com/tributary/dbt:latest")))
                .anyMatch(v -> v.contains("must be pinned to a release or digest"));
        assertThat(
                        prodAfter(
                                rs ->
                                        setEnv(
                                                rs,
                                                "TRIBUTARY_TRANSFORM_KUBERNETES_TOLERATIONS",
                                                "dedicated=dbt")))
                .anyMatch(v -> v.contains("is not key[=value]:Effect"));
        assertThat(
                        prodAfter(
                                rs ->
                                        setEnv(
                                                rs,
                                                "TRIBUTARY_TRANSFORM_KUBERNETES_SERVICE_ACCOUNT",
                                                "default")))
                .anyMatch(v -> v.contains("SERVICE_ACCOUNT must be tributary-dbt"));
        assertThat(
                        prodAfter(
                                rs ->
                                        ((ObjectNode)
                                                        find(
                                                                        rs,
                                                                        "ConfigMap",
                                                                        "tributary-kafka-client")
                                                                .get("data"))
                                                .put(
                                                        "application.properties",
                                                        "tributary.transform.kubernetes.warehouse-envs.A=1\n")))
                .anyMatch(
                        v ->
                                v.contains(
                                        "warehouse-envs.A (in application.properties) is no setting"));
        assertThat(
                        prodAfter(
                                rs ->
                                        ((ObjectNode)
                                                        find(
                                                                        rs,
                                                                        "ConfigMap",
                                                                        "transform-service-config")
                                                                .get("data"))
                                                .put(
                                                        "TRIBUTARY_TRANSFORM_KUBERNETES_IMAGE",
                                                        "x:1")))
                .anyMatch(v -> v.contains("in the transform-service Deployment's env"));
    }

    @Test
    void theRunnerNeedsItsTokenApiEgressAndTheJobsSecret() {
        assertThat(
                        prodAfter(
                                rs ->
                                        ((ObjectNode)
                                                        find(rs, "Deployment", "transform-service")
                                                                .at("/spec/template/spec"))
                                                .put("automountServiceAccountToken", false)))
                .anyMatch(v -> v.contains("needs the ServiceAccount token"));
        assertThat(
                        prodAfter(
                                rs ->
                                        rs.remove(
                                                find(
                                                        rs,
                                                        "NetworkPolicy",
                                                        "transform-service-kubernetes-api"))))
                .anyMatch(v -> v.contains("needs egress to the API server"));
        assertThat(
                        prodAfter(
                                rs ->
                                        ((ObjectNode)
                                                        find(
                                                                        rs,
                                                                        "NetworkPolicy",
                                                                        "transform-service-kubernetes-api")
                                                                .at("/spec/egress/0/to/0/ipBlock"))
                                                .put("cidr", "0.0.0.0/0")))
                .anyMatch(v -> v.contains("transform-service must not reach addresses outside"))
                .anyMatch(v -> v.contains("needs egress to the API server"));
        assertThat(prodAfter(rs -> rs.remove(find(rs, "ExternalSecret", "tributary-warehouse"))))
                .anyMatch(
                        v ->
                                v.contains(
                                        "Secret tributary-warehouse (the dbt Jobs' warehouse login) has no ExternalSecret"));
        assertThat(
                        prodAfter(
                                rs ->
                                        ((ArrayNode)
                                                        find(
                                                                        rs,
                                                                        "ExternalSecret",
                                                                        "tributary-warehouse")
                                                                .at("/spec/data"))
                                                .remove(1)))
                .anyMatch(v -> v.contains("provides no WAREHOUSE_PASSWORD for the dbt Jobs"));
        // Without the runner's settings, the token is refused again.
        assertThat(
                        prodAfter(
                                rs -> {
                                    ArrayNode env = runnerEnv(rs);
                                    for (int i = env.size() - 1; i >= 0; i--) {
                                        if (env.get(i)
                                                .path("name")
                                                .asText()
                                                .startsWith(DbtRunnerPolicy.ENV_PREFIX)) {
                                            env.remove(i);
                                        }
                                    }
                                }))
                .anyMatch(v -> v.contains("automountServiceAccountToken must be false"))
                .anyMatch(v -> v.contains("transform-service must not reach addresses outside"));
    }

    // --- the Job ----------------------------------------------------------------------------

    private static ObjectNode sample() {
        return Repo.yamlDocuments(SAMPLE_JOB, "sample").get(0);
    }

    private static List<String> jobAfter(Consumer<ObjectNode> mutation) {
        ObjectNode job = sample();
        mutation.accept(job);
        return DbtRunnerPolicy.checkJob(job, "tributary-warehouse");
    }

    private static ObjectNode dbtContainer(ObjectNode job) {
        return (ObjectNode) job.at("/spec/template/spec/containers/0");
    }

    private static ObjectNode securityContext(ObjectNode job) {
        return (ObjectNode) dbtContainer(job).get("securityContext");
    }

    private static void checkAgainstProd(ObjectNode job) {
        assertThat(Schemas.kubernetes().validate(job)).as("schema").isEmpty();
        List<ObjectNode> prod = prod();
        String secret =
                DbtRunnerPolicy.warehouseSecret(find(prod, "Deployment", "transform-service"));
        assertThat(DbtRunnerPolicy.checkJob(job, secret)).as("Job policy").isEmpty();
        JsonNode labels = job.at("/spec/template/metadata/labels");
        JsonNode selector = dbtPolicy(prod).at("/spec/podSelector/matchLabels");
        selector.fields()
                .forEachRemaining(
                        e ->
                                assertThat(labels.path(e.getKey()).asText())
                                        .as(
                                                "the dbt NetworkPolicy selects the Job's pod: %s",
                                                e.getKey())
                                        .isEqualTo(e.getValue().asText()));
        List<String> keys =
                find(prod, "ExternalSecret", secret).at("/spec/data").findValuesAsText("secretKey");
        for (JsonNode c : job.at("/spec/template/spec/containers")) {
            for (JsonNode e : c.path("env")) {
                JsonNode ref = e.at("/valueFrom/secretKeyRef");
                if (ref.has("key")) {
                    assertThat(keys)
                            .as("prod's %s provides %s", secret, ref)
                            .contains(ref.path("key").asText());
                }
            }
        }
    }

    @Test
    void theSampleJobPassesAsTheRunnerShouldBuildIt() {
        checkAgainstProd(sample());
    }

    /**
     * The runner's golden Job (transform-service's DbtJobTest keeps it equal to what the runner
     * builds): valid against the schemas, the agreed labels and security, no secret literal.
     */
    @Test
    void theGoldenJobOfTheRunnerPassesTheChecks() {
        Path file = Repo.path(GOLDEN_JOB.toString());
        assertThat(Files.isRegularFile(file))
                .as(
                        "%s is missing: the transform-service's kubernetes runner writes it (the"
                                + " Job it builds for a sample run) and deploy/checks validates it",
                        GOLDEN_JOB)
                .isTrue();
        List<ObjectNode> docs = Repo.yamlDocuments(Repo.read(file), file.toString());
        assertThat(docs).hasSize(1);
        checkAgainstProd(docs.get(0));
    }

    @Test
    void aJobWithASecretLiteralIsRejected() {
        assertThat(
                        jobAfter(
                                j ->
                                        ((ObjectNode) dbtContainer(j).at("/env/2"))
                                                .put("value", "hunter2")
                                                .remove("valueFrom")))
                .contains(
                        "container dbt: env WAREHOUSE_PASSWORD must come from a Secret"
                                + " (secretKeyRef), not a literal")
                .contains("no container reads WAREHOUSE_PASSWORD from Secret tributary-warehouse");
        assertThat(
                        jobAfter(
                                j ->
                                        ((ObjectNode) dbtContainer(j).at("/env/1"))
                                                .put("value", "dbt")
                                                .remove("valueFrom")))
                .anyMatch(v -> v.contains("env WAREHOUSE_USER must come from a Secret"));
        assertThat(
                        jobAfter(
                                j ->
                                        ((ArrayNode) dbtContainer(j).get("env"))
                                                .addObject()
                                                .put("name", "DBT_CLOUD_API_KEY")
                                                .putObject("valueFrom")
                                                .putObject("configMapKeyRef")
                                                .put("name", "c")
                                                .put("key", "k")))
                .anyMatch(v -> v.contains("env DBT_CLOUD_API_KEY must come from a Secret"));
        assertThat(
                        jobAfter(
                                j ->
                                        ((ObjectNode)
                                                        dbtContainer(j)
                                                                .at(
                                                                        "/env/2/valueFrom/secretKeyRef"))
                                                .put("name", "someone-elses")))
                .contains("no container reads WAREHOUSE_PASSWORD from Secret tributary-warehouse");
    }

    @Test
    void aJobWithoutTheAgreedLabelsOrNameIsRejected() {
        assertThat(
                        jobAfter(
                                j ->
                                        ((ObjectNode) j.at("/spec/template/metadata/labels"))
                                                .remove("app.kubernetes.io/component")))
                .contains(
                        "/spec/template/metadata/labels: app.kubernetes.io/component must be"
                                + " dbt-run");
        assertThat(
                        jobAfter(
                                j ->
                                        ((ObjectNode) j.at("/metadata/labels"))
                                                .put("tributary.io/run-id", "42")))
                .anyMatch(v -> v.contains("tributary.io/run-id must be the run's uuid"));
        assertThat(jobAfter(j -> ((ObjectNode) j.get("metadata")).put("name", "dbt-run-1")))
                .contains("name dbt-run-1 must be dbt-daily-orders-0a1b2c3d");
        assertThat(
                        jobAfter(
                                j -> {
                                    String transform = "daily_orders_" + "x".repeat(60);
                                    ((ObjectNode) j.at("/metadata/labels"))
                                            .put("tributary.io/transform", transform);
                                    ((ObjectNode) j.at("/spec/template/metadata/labels"))
                                            .put("tributary.io/transform", transform);
                                    ((ObjectNode) j.get("metadata"))
                                            .put(
                                                    "name",
                                                    "dbt-"
                                                            + transform.replace('_', '-')
                                                            + "-0a1b2c3d");
                                }))
                .anyMatch(v -> v.contains("tributary.io/transform must be the transform's name"))
                .anyMatch(v -> v.contains("is not a DNS-1123 label of at most 63 characters"));
    }

    @Test
    void aJobWithoutTheAgreedSecurityIsRejected() {
        assertThat(jobAfter(j -> securityContext(j).put("readOnlyRootFilesystem", false)))
                .contains("container dbt: securityContext.readOnlyRootFilesystem must be true");
        assertThat(jobAfter(j -> securityContext(j).remove("allowPrivilegeEscalation")))
                .anyMatch(v -> v.contains("allowPrivilegeEscalation must be false"));
        assertThat(jobAfter(j -> securityContext(j).remove("capabilities")))
                .anyMatch(v -> v.contains("capabilities.drop must contain ALL"));
        assertThat(
                        jobAfter(
                                j ->
                                        ((ObjectNode) j.at("/spec/template/spec/securityContext"))
                                                .remove("seccompProfile")))
                .anyMatch(v -> v.contains("seccompProfile must be RuntimeDefault"));
        assertThat(
                        jobAfter(
                                j ->
                                        ((ObjectNode) j.at("/spec/template/spec/securityContext"))
                                                .put("runAsNonRoot", false)))
                .contains("pod securityContext.runAsNonRoot must be true");
        assertThat(
                        jobAfter(
                                j ->
                                        ((ObjectNode) j.at("/spec/template/spec"))
                                                .put("automountServiceAccountToken", true)
                                                .put("serviceAccountName", "transform-service")))
                .contains(
                        "automountServiceAccountToken must be false",
                        "serviceAccountName must be tributary-dbt");
        assertThat(
                        jobAfter(
                                j ->
                                        ((ObjectNode) j.at("/spec/template/spec"))
                                                .put("restartPolicy", "OnFailure")))
                .anyMatch(v -> v.contains("restartPolicy must be Never"));
        assertThat(jobAfter(j -> dbtContainer(j).remove("volumeMounts")))
                .anyMatch(v -> v.contains("emptyDir mounted at /tmp"));
        assertThat(
                        jobAfter(
                                j ->
                                        ((ObjectNode) dbtContainer(j).at("/resources/limits"))
                                                .remove("memory")))
                .contains("container dbt: resources.limits.memory is missing");
        assertThat(
                        jobAfter(
                                j ->
                                        dbtContainer(j)
                                                .put(
                                                        "image",
                                                        "registry.example.com/tributary/dbt:latest")))
                .anyMatch(v -> v.contains("is not pinned"));
    }

    @Test
    void theSchemasRejectAMisspeltJob() {
        ObjectNode job = sample();
        assertThat(Schemas.kubernetes().validate(job)).isEmpty();
        ObjectNode spec = (ObjectNode) job.get("spec");
        spec.set("activeDeadline", spec.remove("activeDeadlineSeconds"));
        assertThat(Schemas.kubernetes().validate(job)).anyMatch(e -> e.contains("activeDeadline"));
        List<String> errors = new ArrayList<>();
        ObjectNode role = find(prod(), "Role", "tributary-dbt-runner");
        ((ObjectNode) role.at("/rules/0")).put("verbs", "create");
        Schemas.kubernetes().validate(role).forEach(errors::add);
        assertThat(errors).anyMatch(e -> e.contains("verbs"));
    }
}
