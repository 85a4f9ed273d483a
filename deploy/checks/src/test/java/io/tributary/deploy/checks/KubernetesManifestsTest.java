package io.tributary.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/kubernetes: every kustomization is rendered (Kustomize, a minimal renderer), every
 * resource validated against the Kubernetes JSON Schemas (fabric8) or our CRD subsets, and every
 * overlay checked against the platform policy (KubernetesPolicy). The mutation tests break one rule
 * at a time on a copy of the rendered prod overlay and expect the policy to say so.
 */
class KubernetesManifestsTest {

    record Overlay(String dir, KubernetesPolicy.Expectations expect, String namespace) {
        @Override
        public String toString() {
            return dir;
        }

        List<ObjectNode> render() {
            return Kustomize.build(Repo.path("deploy/kubernetes/" + dir));
        }
    }

    static Stream<Overlay> overlays() {
        return Stream.of(
                new Overlay("base", new KubernetesPolicy.Expectations(false, true, false), ""),
                new Overlay(
                        "overlays/dev",
                        new KubernetesPolicy.Expectations(false, true, false),
                        "tributary-dev"),
                new Overlay(
                        "overlays/prod",
                        new KubernetesPolicy.Expectations(true, true, false),
                        "tributary"),
                new Overlay(
                        "overlays/prod/kafka-topics",
                        new KubernetesPolicy.Expectations(true, false, true),
                        "kafka"));
    }

    static List<ObjectNode> prod() {
        return overlays()
                .filter(o -> o.dir().equals("overlays/prod"))
                .findFirst()
                .orElseThrow()
                .render();
    }

    private static final KubernetesPolicy.Expectations PROD =
            new KubernetesPolicy.Expectations(true, true, false);

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyResourceIsValidAgainstItsSchema(Overlay overlay) {
        List<ObjectNode> resources = overlay.render();
        assertThat(resources).isNotEmpty();
        List<String> errors = new ArrayList<>();
        for (ObjectNode r : resources) {
            Schemas.kubernetes().validate(r).forEach(e -> errors.add(Kustomize.id(r) + ": " + e));
        }
        assertThat(errors).as("schema errors in %s", overlay).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyOverlayPassesThePolicy(Overlay overlay) {
        assertThat(KubernetesPolicy.check(overlay.render(), overlay.expect()))
                .as("policy violations in %s", overlay)
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyResourceLivesInTheOverlaysNamespace(Overlay overlay) {
        if (overlay.namespace().isEmpty()) {
            return;
        }
        for (ObjectNode r : overlay.render()) {
            if (Repo.text(r, "/kind").equals("Namespace")) {
                assertThat(Repo.text(r, "/metadata/name")).isEqualTo(overlay.namespace());
                assertThat(Repo.text(r, "/metadata/labels/pod-security.kubernetes.io~1enforce"))
                        .as("Pod Security Standard of %s", overlay)
                        .isEqualTo("restricted");
            } else {
                assertThat(Repo.text(r, "/metadata/namespace"))
                        .as(Kustomize.id(r))
                        .isEqualTo(overlay.namespace());
            }
        }
    }

    @Test
    void theSchemasComeFromTheFabric8Jars() {
        assertThat(Schemas.kubernetes().sources())
                .hasSizeGreaterThanOrEqualTo(5)
                .allMatch(s -> s.contains("kubernetes-model-"));
        for (String[] type :
                new String[][] {
                    {"apps/v1", "Deployment"},
                    {"v1", "Service"},
                    {"v1", "ConfigMap"},
                    {"v1", "ServiceAccount"},
                    {"v1", "Namespace"},
                    {"networking.k8s.io/v1", "NetworkPolicy"},
                    {"policy/v1", "PodDisruptionBudget"},
                    {"autoscaling/v2", "HorizontalPodAutoscaler"},
                    {"rbac.authorization.k8s.io/v1", "Role"},
                    {"rbac.authorization.k8s.io/v1", "RoleBinding"},
                    {"batch/v1", "Job"},
                    {"monitoring.coreos.com/v1", "ServiceMonitor"},
                    {"external-secrets.io/v1", "ExternalSecret"},
                    {"kafka.strimzi.io/v1beta2", "KafkaTopic"}
                }) {
            assertThat(Schemas.kubernetes().knows(type[0], type[1])).as(type[1]).isTrue();
        }
    }

    @Test
    void prodTalksToKafkaOverTlsAndPullsReleasedImages() {
        List<ObjectNode> prod = prod();
        for (ObjectNode r : prod) {
            String kind = Repo.text(r, "/kind");
            if (kind.equals("Deployment")) {
                JsonNode pod = r.at("/spec/template/spec");
                assertThat(pod.at("/containers/0/image").asText())
                        .startsWith("registry.example.com/tributary/")
                        .endsWith(":0.1.0");
                assertThat(pod.at("/containers/0/volumeMounts").findValuesAsText("mountPath"))
                        .contains("/tmp", "/deployments/config", "/etc/tributary/kafka-ca");
            }
            if (kind.equals("ConfigMap") && r.at("/data").has("KAFKA_BOOTSTRAP_SERVERS")) {
                assertThat(Repo.text(r, "/data/KAFKA_BOOTSTRAP_SERVERS")).endsWith(":9093");
            }
        }
        ObjectNode hpa = find(prod, "HorizontalPodAutoscaler", "trigger-service");
        assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(3);
        ObjectNode transform = find(prod, "Deployment", "transform-service");
        assertThat(
                        transform
                                .at("/spec/template/spec/containers/0/resources/limits/memory")
                                .asText())
                .isEqualTo("3Gi");
        assertThat(
                        transform
                                .at(
                                        "/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem")
                                .asBoolean())
                .as("a patch must not lose what it does not mention")
                .isTrue();
    }

    // --- the checks fail when a rule is broken ----------------------------------------------

    private static List<String> violationsAfter(Consumer<List<ObjectNode>> mutation) {
        List<ObjectNode> copy = new ArrayList<>();
        prod().forEach(r -> copy.add(r.deepCopy()));
        mutation.accept(copy);
        return KubernetesPolicy.check(copy, PROD);
    }

    static ObjectNode find(List<ObjectNode> resources, String kind, String name) {
        return resources.stream()
                .filter(r -> Repo.text(r, "/kind").equals(kind))
                .filter(r -> Repo.text(r, "/metadata/name").equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static ObjectNode container(List<ObjectNode> resources, String deployment) {
        return (ObjectNode)
                find(resources, "Deployment", deployment).at("/spec/template/spec/containers/0");
    }

    @Test
    void aDeploymentWithoutProbesIsRejected() {
        assertThat(
                        violationsAfter(
                                rs -> container(rs, "notifier-service").remove("readinessProbe")))
                .anyMatch(
                        v ->
                                v.contains("Deployment/tributary/notifier-service")
                                        && v.contains("readinessProbe is missing"));
        assertThat(
                        violationsAfter(
                                rs ->
                                        ((ObjectNode)
                                                        container(rs, "trigger-service")
                                                                .get("livenessProbe")
                                                                .get("httpGet"))
                                                .put("path", "/")))
                .anyMatch(v -> v.contains("livenessProbe must GET /q/health/live"));
    }

    @Test
    void aDeploymentWithoutResourcesOrSecurityContextIsRejected() {
        assertThat(
                        violationsAfter(
                                rs ->
                                        ((ObjectNode)
                                                        container(rs, "transform-service")
                                                                .get("resources"))
                                                .remove("limits")))
                .anyMatch(
                        v ->
                                v.contains("transform-service")
                                        && v.contains("resources.limits.memory is missing"));
        assertThat(
                        violationsAfter(
                                rs ->
                                        ((ObjectNode)
                                                        container(rs, "trigger-service")
                                                                .get("securityContext"))
                                                .put("readOnlyRootFilesystem", false)))
                .anyMatch(v -> v.contains("readOnlyRootFilesystem must be true"));
        assertThat(
                        violationsAfter(
                                rs ->
                                        ((ObjectNode)
                                                        container(rs, "trigger-service")
                                                                .get("securityContext"))
                                                .remove("capabilities")))
                .anyMatch(v -> v.contains("capabilities.drop must contain ALL"));
        assertThat(
                        violationsAfter(
                                rs ->
                                        ((ObjectNode)
                                                        find(
                                                                        rs,
                                                                        "Deployment",
                                                                        "sync-monitor-service")
                                                                .at(
                                                                        "/spec/template/spec/securityContext"))
                                                .remove("runAsNonRoot")))
                .anyMatch(v -> v.contains("runAsNonRoot must be true"));
        assertThat(
                        violationsAfter(
                                rs ->
                                        ((ObjectNode)
                                                        find(
                                                                        rs,
                                                                        "Deployment",
                                                                        "sync-monitor-service")
                                                                .at(
                                                                        "/spec/template/spec/securityContext"))
                                                .remove("seccompProfile")))
                .anyMatch(v -> v.contains("seccompProfile must be RuntimeDefault"));
        assertThat(
                        violationsAfter(
                                rs ->
                                        container(rs, "notifier-service")
                                                .put(
                                                        "image",
                                                        "registry.example.com/tributary/notifier-service:latest")))
                .anyMatch(v -> v.contains("is not pinned"));
    }

    @Test
    void anInlinedOrUnprovidedSecretIsRejected() {
        assertThat(
                        violationsAfter(
                                rs -> {
                                    ObjectNode secret = Repo.JSON.createObjectNode();
                                    secret.put("apiVersion", "v1").put("kind", "Secret");
                                    secret.putObject("metadata")
                                            .put("name", "trigger-service-secrets")
                                            .put("namespace", "tributary");
                                    secret.putObject("stringData")
                                            .put("QUARKUS_DATASOURCE_PASSWORD", "hunter2");
                                    rs.add(secret);
                                }))
                .anyMatch(
                        v ->
                                v.contains("Secret/tributary/trigger-service-secrets")
                                        && v.contains("inlined"));
        assertThat(
                        violationsAfter(
                                rs ->
                                        rs.remove(
                                                find(
                                                        rs,
                                                        "ExternalSecret",
                                                        "transform-service-secrets"))))
                .anyMatch(
                        v ->
                                v.contains(
                                        "Secret transform-service-secrets is referenced but no ExternalSecret provides it"));
        assertThat(
                        violationsAfter(
                                rs -> {
                                    ArrayNode env =
                                            container(rs, "notifier-service").putArray("env");
                                    env.addObject()
                                            .put("name", "QUARKUS_DATASOURCE_PASSWORD")
                                            .put("value", "hunter2");
                                }))
                .anyMatch(v -> v.contains("is a literal secret"));
        assertThat(
                        violationsAfter(
                                rs ->
                                        ((ObjectNode)
                                                        find(
                                                                        rs,
                                                                        "ConfigMap",
                                                                        "trigger-service-config")
                                                                .get("data"))
                                                .put("TRIBUTARY_API_TOKENS_ADMIN_TOKEN", "x")))
                .anyMatch(v -> v.contains("secret-looking key"));
    }

    @Test
    void aPodWithoutItsNetworkPolicyOrReachingTooFarIsRejected() {
        assertThat(violationsAfter(rs -> rs.remove(find(rs, "NetworkPolicy", "notifier-service"))))
                .anyMatch(
                        v ->
                                v.contains(
                                        "Deployment/tributary/notifier-service: no NetworkPolicy of its own selects its pods"));
        assertThat(violationsAfter(rs -> rs.remove(find(rs, "NetworkPolicy", "default-deny-all"))))
                .anyMatch(v -> v.contains("missing a default-deny NetworkPolicy"));
        assertThat(
                        violationsAfter(
                                rs -> {
                                    ArrayNode egress =
                                            (ArrayNode)
                                                    find(rs, "NetworkPolicy", "trigger-service")
                                                            .at("/spec/egress");
                                    ObjectNode rule = egress.addObject();
                                    rule.putArray("to")
                                            .addObject()
                                            .putObject("podSelector")
                                            .putObject("matchLabels")
                                            .put("db.tributary.io/notifier-service", "true");
                                    rule.putArray("ports").addObject().put("port", 5432);
                                }))
                .anyMatch(v -> v.contains("reaches another service's database"));
        assertThat(
                        violationsAfter(
                                rs ->
                                        ((ArrayNode)
                                                        find(
                                                                        rs,
                                                                        "NetworkPolicy",
                                                                        "transform-service")
                                                                .at("/spec/egress"))
                                                .addObject()
                                                .putArray("to")
                                                .addObject()
                                                .putObject("ipBlock")
                                                .put("cidr", "0.0.0.0/0")))
                .anyMatch(v -> v.contains("egress rule without ports"))
                .anyMatch(
                        v ->
                                v.contains(
                                        "transform-service must not reach addresses outside the cluster"));
    }

    @Test
    void theConsoleReachesTheFourApisWithOneWriteToken() {
        List<ObjectNode> prod = prod();
        ObjectNode console = find(prod, "Deployment", "console-service");
        assertThat(console.at("/spec/template/spec/containers/0/ports/0/containerPort").asInt())
                .isEqualTo(8085);
        assertThat(
                        find(prod, "ExternalSecret", "console-service-secrets")
                                .at("/spec/data")
                                .findValuesAsText("secretKey"))
                .contains(
                        "QUARKUS_DATASOURCE_PASSWORD",
                        "TRIBUTARY_API_TOKENS_ADMIN_TOKEN",
                        "TRIBUTARY_CONSOLE_SERVICE_TOKEN");

        assertThat(
                        violationsAfter(
                                rs -> {
                                    ArrayNode ingress =
                                            (ArrayNode)
                                                    find(rs, "NetworkPolicy", "transform-service")
                                                            .at("/spec/ingress");
                                    ingress.remove(ingress.size() - 1);
                                }))
                .contains(
                        "NetworkPolicy/tributary/transform-service: does not let console-service"
                                + " pods in on its HTTP port");
        assertThat(
                        violationsAfter(
                                rs -> {
                                    ArrayNode egress =
                                            (ArrayNode)
                                                    find(rs, "NetworkPolicy", "console-service")
                                                            .at("/spec/egress");
                                    egress.remove(egress.size() - 1);
                                }))
                .contains(
                        "NetworkPolicy/tributary/console-service: no egress to notifier-service"
                                + " pods on 8084");
        assertThat(
                        violationsAfter(
                                rs ->
                                        ((ObjectNode)
                                                        find(
                                                                        rs,
                                                                        "ConfigMap",
                                                                        "console-service-config")
                                                                .get("data"))
                                                .put(
                                                        "TRIBUTARY_CONSOLE_TRIGGER_URL",
                                                        "http://trigger-service:80")))
                .contains(
                        "ConfigMap/tributary/console-service-config: TRIBUTARY_CONSOLE_TRIGGER_URL"
                                + " must be http://trigger-service:8081");
        assertThat(
                        violationsAfter(
                                rs ->
                                        ((ObjectNode)
                                                        find(
                                                                        rs,
                                                                        "ConfigMap",
                                                                        "sync-monitor-service-config")
                                                                .get("data"))
                                                .remove("TRIBUTARY_API_TOKENS_CONSOLE_SCOPE")))
                .contains(
                        "ConfigMap/tributary/sync-monitor-service-config:"
                                + " TRIBUTARY_API_TOKENS_CONSOLE_SCOPE must be write");
        assertThat(
                        violationsAfter(
                                rs -> {
                                    ArrayNode data =
                                            (ArrayNode)
                                                    find(
                                                                    rs,
                                                                    "ExternalSecret",
                                                                    "trigger-service-secrets")
                                                            .at("/spec/data");
                                    for (JsonNode d : data) {
                                        if (d.path("secretKey")
                                                .asText()
                                                .equals("TRIBUTARY_API_TOKENS_CONSOLE_TOKEN")) {
                                            ((ObjectNode) d.get("remoteRef"))
                                                    .put("key", "tributary/trigger-service");
                                        }
                                    }
                                }))
                .anyMatch(
                        v ->
                                v.startsWith("ExternalSecret/tributary/trigger-service-secrets:")
                                        && v.contains("TRIBUTARY_API_TOKENS_CONSOLE_TOKEN"));
        assertThat(violationsAfter(rs -> rs.remove(find(rs, "Deployment", "console-service"))))
                .isNotEmpty()
                .contains("missing Deployment console-service");
    }

    @Test
    void missingBudgetsServicesAndAutoscalerAreRejected() {
        assertThat(
                        violationsAfter(
                                rs ->
                                        rs.remove(
                                                find(
                                                        rs,
                                                        "PodDisruptionBudget",
                                                        "sync-monitor-service"))))
                .anyMatch(v -> v.contains("sync-monitor-service: no PodDisruptionBudget"));
        assertThat(
                        violationsAfter(
                                rs ->
                                        rs.remove(
                                                find(
                                                        rs,
                                                        "HorizontalPodAutoscaler",
                                                        "trigger-service"))))
                .anyMatch(
                        v ->
                                v.contains(
                                        "missing a HorizontalPodAutoscaler for the trigger-service"));
        assertThat(violationsAfter(rs -> rs.remove(find(rs, "Service", "transform-service"))))
                .anyMatch(v -> v.contains("transform-service: no Service selects its pods"));
        assertThat(
                        violationsAfter(
                                rs ->
                                        ((ObjectNode)
                                                        find(rs, "Deployment", "trigger-service")
                                                                .get("spec"))
                                                .put("replicas", 2)))
                .anyMatch(v -> v.contains("HorizontalPodAutoscaler owns the count"));
        assertThat(
                        violationsAfter(
                                rs ->
                                        ((ObjectNode)
                                                        find(rs, "Deployment", "notifier-service")
                                                                .get("spec"))
                                                .put("replicas", 1)))
                .anyMatch(v -> v.contains("at least 2 replicas"));
    }

    @Test
    void wrongTopicSettingsAreRejected() {
        Overlay topics =
                overlays().filter(o -> o.dir().endsWith("kafka-topics")).findFirst().orElseThrow();
        List<ObjectNode> rs = topics.render();
        ((ObjectNode) rs.get(0).get("spec")).put("partitions", 3);
        ((ObjectNode) rs.get(1).at("/spec/config")).put("min.insync.replicas", "1");
        ObjectNode notifierDlq = rs.remove(rs.size() - 1);
        ObjectNode consoleDlq = notifierDlq.deepCopy();
        ((ObjectNode) consoleDlq.get("metadata")).put("name", "tributary-console-service-dlq");
        ((ObjectNode) consoleDlq.get("spec")).put("topicName", "tributary.console-service.dlq");
        rs.add(consoleDlq);
        assertThat(KubernetesPolicy.check(rs, topics.expect()))
                .anyMatch(v -> v.contains("partitions must be 12"))
                .anyMatch(v -> v.contains("min.insync.replicas must be 2"))
                .anyMatch(v -> v.contains("missing KafkaTopic tributary.notifier-service.dlq"))
                .contains("KafkaTopic tributary.console-service.dlq: the console produces nothing");
    }

    @Test
    void theSchemasRejectTyposWrongTypesAndUnknownKinds() {
        ObjectNode deployment = find(prod(), "Deployment", "trigger-service");
        assertThat(Schemas.kubernetes().validate(deployment)).isEmpty();

        ObjectNode typo = deployment.deepCopy();
        ObjectNode c = (ObjectNode) typo.at("/spec/template/spec/containers/0");
        c.set("livenesProbe", c.remove("livenessProbe"));
        assertThat(Schemas.kubernetes().validate(typo)).anyMatch(e -> e.contains("livenesProbe"));

        ObjectNode wrongType = deployment.deepCopy();
        ((ObjectNode) wrongType.get("spec")).put("replicas", "two");
        assertThat(Schemas.kubernetes().validate(wrongType)).anyMatch(e -> e.contains("replicas"));

        ObjectNode unknown = deployment.deepCopy();
        unknown.put("apiVersion", "apps/v1beta0");
        assertThat(Schemas.kubernetes().validate(unknown))
                .anyMatch(e -> e.contains("no schema knows"));

        ObjectNode topic =
                Kustomize.build(Repo.path("deploy/kubernetes/overlays/prod/kafka-topics")).get(0);
        ((ObjectNode) topic.get("spec")).put("partitions", "twelve");
        assertThat(Schemas.kubernetes().validate(topic)).anyMatch(e -> e.contains("partitions"));
        ObjectNode secret = find(prod(), "ExternalSecret", "trigger-service-secrets");
        ((ObjectNode) secret.at("/spec/secretStoreRef")).put("kind", "VaultStore");
        assertThat(Schemas.kubernetes().validate(secret)).anyMatch(e -> e.contains("kind"));
    }

    // --- the renderer ------------------------------------------------------------------------

    @Test
    void theRendererMergesNamedListsAndRefusesWhatItDoesNotSupport(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        ObjectNode target =
                (ObjectNode)
                        Repo.yaml(
                                """
                spec:
                  replicas: 2
                  containers:
                    - name: app
                      image: x:1
                      env: [{name: A, value: "1"}, {name: B, value: "2"}]
                      volumeMounts: [{name: tmp, mountPath: /tmp}]
                  args: [a, b]
                """);
        ObjectNode patch =
                (ObjectNode)
                        Repo.yaml(
                                """
                spec:
                  replicas: null
                  containers:
                    - name: app
                      env: [{name: B, value: "3"}, {name: C, value: "4"}]
                      volumeMounts: [{name: other, mountPath: /tmp}]
                    - name: sidecar
                      image: y:1
                  args: [c]
                """);
        Kustomize.merge(target, patch);
        assertThat(target.has("replicas")).isFalse();
        assertThat(target.at("/spec/containers").size()).isEqualTo(2);
        assertThat(target.at("/spec/containers/0/image").asText()).isEqualTo("x:1");
        // kustomize's order: the patch's items, then the ones it does not name
        assertThat(target.at("/spec/containers/0/env").findValuesAsText("value"))
                .containsExactly("3", "4", "1");
        assertThat(target.at("/spec/containers/0/volumeMounts").size()).isEqualTo(1);
        assertThat(target.at("/spec/containers/0/volumeMounts/0/name").asText()).isEqualTo("other");
        assertThat(target.at("/spec/args").findValuesAsText("")).isEmpty();
        assertThat(target.at("/spec/args/0").asText()).isEqualTo("c");

        java.nio.file.Files.writeString(
                dir.resolve("kustomization.yaml"), "resources: []\nhelmCharts: []\n");
        assertThatThrownBy(() -> Kustomize.build(dir))
                .hasMessageContaining("'helmCharts' is not supported");
        java.nio.file.Files.writeString(
                dir.resolve("kustomization.yaml"),
                "resources: []\nreplicas: [{name: nope, count: 1}]\n");
        assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("matches nothing");
    }
}
