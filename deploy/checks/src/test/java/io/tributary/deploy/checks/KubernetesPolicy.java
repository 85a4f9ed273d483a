package io.tributary.deploy.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rules a platform team checks before accepting the manifests, over one rendered overlay. Each
 * broken rule is one readable line naming the resource; an empty list means accepted.
 */
final class KubernetesPolicy {
    static final Pattern SECRET_KEY =
            Pattern.compile("(?i).*(PASSWORD|SECRET|_TOKEN|JAAS_CONFIG|CREDENTIALS)$");
    private static final Set<String> POD_KINDS =
            Set.of("Pod", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob");

    /** What an overlay must contain beyond the generic rules. */
    record Expectations(boolean production, boolean expectWorkloads, boolean expectTopics) {}

    private final List<ObjectNode> resources;
    private final Expectations expect;
    private final List<String> violations = new ArrayList<>();

    private KubernetesPolicy(List<ObjectNode> resources, Expectations expect) {
        this.resources = resources;
        this.expect = expect;
    }

    static List<String> check(List<ObjectNode> resources, Expectations expect) {
        KubernetesPolicy p = new KubernetesPolicy(resources, expect);
        p.run();
        return p.violations;
    }

    private void fail(JsonNode resource, String message) {
        violations.add(Kustomize.id(resource) + ": " + message);
    }

    private List<ObjectNode> ofKind(String kind) {
        return resources.stream().filter(r -> kind.equals(Repo.text(r, "/kind"))).toList();
    }

    private void run() {
        for (ObjectNode r : resources) {
            if (POD_KINDS.contains(Repo.text(r, "/kind"))) {
                fail(r, "only Deployments are expected (the policy checks pod templates of those)");
            }
        }
        List<ObjectNode> deployments = ofKind("Deployment");
        if (expect.expectWorkloads()) {
            Set<String> names = new HashSet<>();
            deployments.forEach(d -> names.add(Repo.text(d, "/metadata/name")));
            for (String service : Repo.SERVICES) {
                if (!names.contains(service)) {
                    violations.add("missing Deployment " + service);
                }
            }
            if (!hasDefaultDeny()) {
                violations.add(
                        "missing a default-deny NetworkPolicy (podSelector {}, Ingress and Egress,"
                                + " no rules)");
            }
            if (ofKind("ServiceMonitor").isEmpty()) {
                violations.add("missing a ServiceMonitor");
            }
            if (hpaFor("trigger-service") == null) {
                violations.add("missing a HorizontalPodAutoscaler for the trigger-service");
            }
            checkConsole();
            violations.addAll(DbtRunnerPolicy.check(resources, expect.production()));
        }
        deployments.forEach(this::checkDeployment);
        ofKind("NetworkPolicy").forEach(this::checkNetworkPolicyRules);
        checkSecrets();
        checkConfigMaps();
        checkServices(deployments);
        ofKind("ServiceMonitor").forEach(this::checkServiceMonitor);
        ofKind("HorizontalPodAutoscaler").forEach(this::checkHpa);
        checkTopics();
    }

    // --- workloads -------------------------------------------------------------------------

    private void checkDeployment(ObjectNode d) {
        String name = Repo.text(d, "/metadata/name");
        JsonNode pod = d.path("spec").path("template").path("spec");
        JsonNode labels = d.path("spec").path("template").path("metadata").path("labels");
        if (!matches(d.path("spec").path("selector"), labels)) {
            fail(d, "spec.selector does not select the pod template's labels");
        }
        JsonNode psc = pod.path("securityContext");
        if (!psc.path("runAsNonRoot").asBoolean(false)) {
            fail(d, "pod securityContext.runAsNonRoot must be true");
        }
        if (psc.path("runAsUser").isNumber() && psc.path("runAsUser").asInt() == 0) {
            fail(d, "pod securityContext.runAsUser must not be 0");
        }
        boolean podSeccomp = "RuntimeDefault".equals(Repo.text(psc, "/seccompProfile/type"));
        if (pod.path("automountServiceAccountToken").asBoolean(true)
                && !DbtRunnerPolicy.usesApiServer(d)) {
            fail(
                    d,
                    "automountServiceAccountToken must be false (only the transform-service's"
                            + " kubernetes runner uses the API server)");
        }
        for (String flag : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (pod.path(flag).asBoolean(false)) {
                fail(d, flag + " must not be set");
            }
        }
        Map<String, JsonNode> volumes = new java.util.HashMap<>();
        pod.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
        if (pod.path("containers").isEmpty()) {
            fail(d, "no containers");
        }
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : pod.path(list)) {
                checkContainer(d, name, c, podSeccomp, volumes, list.equals("containers"));
            }
        }
        boolean hpaManaged = hpaFor(name) != null;
        if (hpaManaged && d.path("spec").has("replicas")) {
            fail(d, "spec.replicas is set although a HorizontalPodAutoscaler owns the count");
        }
        if (expect.production() && !hpaManaged && d.path("spec").path("replicas").asInt(1) < 2) {
            fail(d, "production runs at least 2 replicas");
        }
        if (!anyMatches("PodDisruptionBudget", "/spec/selector", labels)) {
            fail(d, "no PodDisruptionBudget selects its pods");
        }
        boolean selected = false;
        for (ObjectNode np : ofKind("NetworkPolicy")) {
            JsonNode sel = np.path("spec").path("podSelector");
            if (sel.path("matchLabels").isEmpty() && sel.path("matchExpressions").isEmpty()) {
                continue; // the default deny selects everything and allows nothing
            }
            if (matches(sel, labels)) {
                selected = true;
                Set<String> types = new HashSet<>();
                np.path("spec").path("policyTypes").forEach(t -> types.add(t.asText()));
                if (!types.containsAll(List.of("Ingress", "Egress"))) {
                    fail(np, "policyTypes must list Ingress and Egress");
                }
                checkEgressScope(np, name, DbtRunnerPolicy.usesApiServer(d));
            }
        }
        if (!selected) {
            fail(d, "no NetworkPolicy of its own selects its pods");
        }
    }

    private void checkContainer(
            ObjectNode d,
            String deployment,
            JsonNode c,
            boolean podSeccomp,
            Map<String, JsonNode> volumes,
            boolean main) {
        String where = "container " + c.path("name").asText() + ": ";
        String image = c.path("image").asText();
        String tag = imageTag(image);
        if (!image.contains("@sha256:") && (tag.isEmpty() || tag.equals("latest"))) {
            fail(d, where + "image " + image + " is not pinned to a tag or digest");
        }
        if (expect.production()
                && !image.contains("@sha256:")
                && !tag.matches("v?[0-9]+(\\.[0-9]+)*([-.][0-9A-Za-z.]+)?")) {
            fail(d, where + "production image " + image + " must name a release (x.y.z or digest)");
        }
        if (main) {
            for (String probe : List.of("livenessProbe", "readinessProbe")) {
                JsonNode p = c.path(probe);
                if (p.isMissingNode()) {
                    fail(d, where + probe + " is missing");
                } else if (Repo.SERVICES.contains(deployment)) {
                    String expected =
                            probe.equals("livenessProbe") ? "/q/health/live" : "/q/health/ready";
                    if (!expected.equals(Repo.text(p, "/httpGet/path"))) {
                        fail(d, where + probe + " must GET " + expected);
                    }
                }
            }
        }
        for (String kind : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                if (c.path("resources").path(kind).path(resource).isMissingNode()) {
                    fail(d, where + "resources." + kind + "." + resource + " is missing");
                }
            }
        }
        lockedDown(c, podSeccomp, volumes).forEach(m -> fail(d, where + m));
        for (JsonNode e : c.path("env")) {
            if (SECRET_KEY.matcher(e.path("name").asText()).matches()
                    && e.has("value")
                    && !e.path("name").asText().equals(DbtRunnerPolicy.WAREHOUSE_SECRET_VARIABLE)) {
                fail(d, where + "env " + e.path("name").asText() + " is a literal secret");
            }
        }
    }

    /**
     * The locked-down container every pod template shares (the services' Deployments, the dbt Job
     * of DbtRunnerPolicy): read-only root with an emptyDir /tmp, no escalation or privilege, all
     * capabilities dropped, RuntimeDefault seccomp, not uid 0. One message per broken rule.
     */
    static List<String> lockedDown(JsonNode c, boolean podSeccomp, Map<String, JsonNode> volumes) {
        List<String> v = new ArrayList<>();
        JsonNode sc = c.path("securityContext");
        if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) {
            v.add("securityContext.readOnlyRootFilesystem must be true");
        }
        if (sc.path("allowPrivilegeEscalation").asBoolean(true)) {
            v.add("securityContext.allowPrivilegeEscalation must be false");
        }
        if (sc.path("privileged").asBoolean(false)) {
            v.add("must not be privileged");
        }
        boolean dropsAll = false;
        for (JsonNode cap : sc.path("capabilities").path("drop")) {
            dropsAll |= cap.asText().equals("ALL");
        }
        if (!dropsAll) {
            v.add("securityContext.capabilities.drop must contain ALL");
        }
        if (!sc.path("capabilities").path("add").isEmpty()) {
            v.add("must not add capabilities");
        }
        boolean seccomp =
                podSeccomp || "RuntimeDefault".equals(Repo.text(sc, "/seccompProfile/type"));
        if (!seccomp) {
            v.add("seccompProfile must be RuntimeDefault (pod or container)");
        }
        if (sc.path("runAsUser").isNumber() && sc.path("runAsUser").asInt() == 0) {
            v.add("securityContext.runAsUser must not be 0");
        }
        boolean tmp = false;
        for (JsonNode m : c.path("volumeMounts")) {
            JsonNode vol = volumes.get(m.path("name").asText());
            if (vol == null) {
                v.add("mounts unknown volume " + m.path("name").asText());
            } else if (m.path("mountPath").asText().equals("/tmp") && vol.has("emptyDir")) {
                tmp = true;
            }
        }
        if (!tmp) {
            v.add("a read-only root needs an emptyDir mounted at /tmp");
        }
        return v;
    }

    // --- network ---------------------------------------------------------------------------

    private boolean hasDefaultDeny() {
        for (ObjectNode np : ofKind("NetworkPolicy")) {
            JsonNode spec = np.path("spec");
            Set<String> types = new HashSet<>();
            spec.path("policyTypes").forEach(t -> types.add(t.asText()));
            if (spec.path("podSelector").isObject()
                    && spec.path("podSelector").isEmpty()
                    && types.containsAll(List.of("Ingress", "Egress"))
                    && spec.path("ingress").isEmpty()
                    && spec.path("egress").isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** No rule opens every port, or every peer. */
    private void checkNetworkPolicyRules(ObjectNode np) {
        for (String direction : List.of("ingress", "egress")) {
            String peers = direction.equals("ingress") ? "from" : "to";
            for (JsonNode rule : np.path("spec").path(direction)) {
                if (rule.path("ports").isEmpty()) {
                    fail(np, direction + " rule without ports allows every port: " + rule);
                }
                if (rule.path(peers).isEmpty()) {
                    fail(np, direction + " rule without '" + peers + "' allows every peer");
                }
                for (JsonNode peer : rule.path(peers)) {
                    if (peer.has("ipBlock")
                            && direction.equals("ingress")
                            && peer.path("ipBlock").path("cidr").asText().endsWith("/0")) {
                        fail(np, "ingress from the whole internet (ipBlock /0)");
                    }
                }
            }
        }
    }

    /**
     * What a service may reach: DNS, Kafka, its own database; the monitor Airbyte, the notifier
     * public HTTPS/SMTP, the transform-service the warehouse (and, with the kubernetes runner, the
     * API server's own addresses), nobody else the internet.
     */
    private void checkEgressScope(ObjectNode np, String workload, boolean apiClient) {
        for (JsonNode rule : np.path("spec").path("egress")) {
            if (apiClient && DbtRunnerPolicy.isApiServerRule(rule)) {
                continue;
            }
            for (JsonNode peer : rule.path("to")) {
                peer.path("podSelector")
                        .path("matchLabels")
                        .fieldNames()
                        .forEachRemaining(
                                label -> {
                                    if (label.startsWith("db.tributary.io/")
                                            && !label.equals("db.tributary.io/" + workload)) {
                                        fail(np, "reaches another service's database: " + label);
                                    }
                                });
                if (peer.has("ipBlock")
                        && !List.of("sync-monitor-service", "notifier-service")
                                .contains(workload)) {
                    fail(np, workload + " must not reach addresses outside the cluster");
                }
                if (peer.has("ipBlock")) {
                    for (JsonNode port : rule.path("ports")) {
                        if (!Set.of(443, 465, 587).contains(port.path("port").asInt())) {
                            fail(np, "egress outside the cluster only over HTTPS/SMTPS: " + port);
                        }
                    }
                }
            }
        }
    }

    /**
     * The console reaches each of the four APIs (its egress, their ingress from its pods, its URL
     * of each) with one token that each of them accepts with the write scope.
     */
    private void checkConsole() {
        ObjectNode consolePolicy = named("NetworkPolicy", Repo.CONSOLE);
        ObjectNode consoleConfig = named("ConfigMap", Repo.CONSOLE + "-config");
        ObjectNode consoleSecret = named("ExternalSecret", Repo.CONSOLE + "-secrets");
        JsonNode serviceToken =
                consoleSecret == null
                        ? null
                        : remoteRef(consoleSecret, "TRIBUTARY_CONSOLE_SERVICE_TOKEN");
        if (expect.production() && consoleSecret != null && serviceToken == null) {
            fail(consoleSecret, "provides no TRIBUTARY_CONSOLE_SERVICE_TOKEN");
        }
        for (String service : Repo.CONTRACT_SERVICES) {
            int port = Repo.port(service);
            if (consolePolicy != null && !egressTo(consolePolicy, service, port)) {
                fail(consolePolicy, "no egress to " + service + " pods on " + port);
            }
            ObjectNode policy = named("NetworkPolicy", service);
            if (policy != null && !ingressFromConsole(policy, port)) {
                fail(policy, "does not let " + Repo.CONSOLE + " pods in on its HTTP port");
            }
            String variable = Repo.CONSOLE_URL_VARIABLES.get(service);
            String url = "http://" + service + ":" + port;
            if (consoleConfig != null
                    && !url.equals(Repo.text(consoleConfig, "/data/" + variable))) {
                fail(consoleConfig, variable + " must be " + url);
            }
            ObjectNode config = named("ConfigMap", service + "-config");
            if (config != null
                    && !"write"
                            .equals(
                                    Repo.text(
                                            config, "/data/TRIBUTARY_API_TOKENS_CONSOLE_SCOPE"))) {
                fail(config, "TRIBUTARY_API_TOKENS_CONSOLE_SCOPE must be write");
            }
            ObjectNode secret = named("ExternalSecret", service + "-secrets");
            if (serviceToken != null
                    && secret != null
                    && !serviceToken.equals(
                            remoteRef(secret, "TRIBUTARY_API_TOKENS_CONSOLE_TOKEN"))) {
                fail(
                        secret,
                        "TRIBUTARY_API_TOKENS_CONSOLE_TOKEN must come from the remote key of the"
                                + " console's TRIBUTARY_CONSOLE_SERVICE_TOKEN "
                                + serviceToken);
            }
        }
    }

    private ObjectNode named(String kind, String name) {
        return ofKind(kind).stream()
                .filter(r -> name.equals(Repo.text(r, "/metadata/name")))
                .findFirst()
                .orElse(null);
    }

    /** The remoteRef of one key of an ExternalSecret, null when it does not provide the key. */
    private static JsonNode remoteRef(ObjectNode externalSecret, String secretKey) {
        for (JsonNode d : externalSecret.path("spec").path("data")) {
            if (secretKey.equals(d.path("secretKey").asText())) {
                return d.path("remoteRef");
            }
        }
        return null;
    }

    /** An egress rule to pods named {@code service} in this namespace, on {@code port}. */
    private static boolean egressTo(ObjectNode policy, String service, int port) {
        for (JsonNode rule : policy.path("spec").path("egress")) {
            boolean peer = false;
            for (JsonNode to : rule.path("to")) {
                peer |=
                        !to.has("namespaceSelector")
                                && service.equals(
                                        Repo.text(
                                                to,
                                                "/podSelector/matchLabels/app.kubernetes.io~1name"));
            }
            if (peer && hasPort(rule, port)) {
                return true;
            }
        }
        return false;
    }

    /** An ingress rule from the console's pods in this namespace, on the HTTP port. */
    private static boolean ingressFromConsole(ObjectNode policy, int port) {
        for (JsonNode rule : policy.path("spec").path("ingress")) {
            boolean peer = false;
            for (JsonNode from : rule.path("from")) {
                peer |=
                        !from.has("namespaceSelector")
                                && Repo.CONSOLE.equals(
                                        Repo.text(
                                                from,
                                                "/podSelector/matchLabels/app.kubernetes.io~1name"));
            }
            if (peer && hasPort(rule, port)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasPort(JsonNode rule, int port) {
        for (JsonNode p : rule.path("ports")) {
            JsonNode value = p.path("port");
            if (value.asText().equals("http") || value.asInt(-1) == port) {
                return true;
            }
        }
        return false;
    }

    // --- secrets and configuration ---------------------------------------------------------

    private void checkSecrets() {
        for (ObjectNode s : ofKind("Secret")) {
            fail(
                    s,
                    "a Secret is inlined in the manifests (data/stringData in git): reference it,"
                            + " and let an ExternalSecret or the operator create it");
        }
        Set<String> referenced = new TreeSet<>();
        for (ObjectNode d : ofKind("Deployment")) {
            JsonNode pod = d.path("spec").path("template").path("spec");
            for (String list : List.of("initContainers", "containers")) {
                for (JsonNode c : pod.path(list)) {
                    c.path("envFrom")
                            .forEach(
                                    e -> {
                                        if (e.has("secretRef")) {
                                            referenced.add(Repo.text(e, "/secretRef/name"));
                                        }
                                    });
                    c.path("env")
                            .forEach(
                                    e -> {
                                        if (e.path("valueFrom").has("secretKeyRef")) {
                                            referenced.add(
                                                    Repo.text(e, "/valueFrom/secretKeyRef/name"));
                                        }
                                    });
                }
            }
            pod.path("volumes")
                    .forEach(
                            v -> {
                                if (v.has("secret")) {
                                    referenced.add(Repo.text(v, "/secret/secretName"));
                                }
                            });
            pod.path("imagePullSecrets").forEach(s -> referenced.add(s.path("name").asText()));
            if (DbtRunnerPolicy.usesApiServer(d)) {
                referenced.add(DbtRunnerPolicy.warehouseSecret(d)); // what its Jobs read
            }
        }
        List<ObjectNode> externals = ofKind("ExternalSecret");
        Set<String> provided = new TreeSet<>();
        for (ObjectNode es : externals) {
            String target = Repo.text(es, "/spec/target/name");
            provided.add(target.isEmpty() ? Repo.text(es, "/metadata/name") : target);
        }
        if (expect.production()) {
            for (String name : referenced) {
                if (!provided.contains(name)) {
                    violations.add(
                            "Secret " + name + " is referenced but no ExternalSecret provides it");
                }
            }
        }
        for (String name : provided) {
            if (!referenced.contains(name)) {
                violations.add("ExternalSecret target " + name + " is referenced by no pod");
            }
        }
    }

    private void checkConfigMaps() {
        Set<String> configMaps = new HashSet<>();
        for (ObjectNode cm : ofKind("ConfigMap")) {
            configMaps.add(Repo.text(cm, "/metadata/name"));
            cm.path("data")
                    .fieldNames()
                    .forEachRemaining(
                            key -> {
                                if (SECRET_KEY.matcher(key).matches()
                                        && !key.equals(DbtRunnerPolicy.WAREHOUSE_SECRET_VARIABLE)) {
                                    fail(cm, "secret-looking key " + key + " in a ConfigMap");
                                }
                            });
        }
        for (ObjectNode d : ofKind("Deployment")) {
            JsonNode pod = d.path("spec").path("template").path("spec");
            List<String> refs = new ArrayList<>();
            for (JsonNode c : pod.path("containers")) {
                c.path("envFrom")
                        .forEach(
                                e -> {
                                    if (e.has("configMapRef")) {
                                        refs.add(Repo.text(e, "/configMapRef/name"));
                                    }
                                });
            }
            pod.path("volumes")
                    .forEach(
                            v -> {
                                if (v.has("configMap")) {
                                    refs.add(Repo.text(v, "/configMap/name"));
                                }
                            });
            for (String ref : refs) {
                if (!configMaps.contains(ref)) {
                    fail(d, "references ConfigMap " + ref + ", which is not in the manifests");
                }
            }
        }
    }

    // --- services, monitoring, autoscaling -------------------------------------------------

    private void checkServices(List<ObjectNode> deployments) {
        for (ObjectNode d : deployments) {
            String name = Repo.text(d, "/metadata/name");
            JsonNode labels = d.path("spec").path("template").path("metadata").path("labels");
            boolean served = false;
            for (ObjectNode s : ofKind("Service")) {
                if (matchLabels(s.path("spec").path("selector"), labels)) {
                    served = true;
                    for (JsonNode port : s.path("spec").path("ports")) {
                        JsonNode target = port.path("targetPort");
                        if (target.isTextual()
                                && !containerPortNames(d).contains(target.asText())) {
                            fail(s, "targetPort " + target.asText() + " is not a port of " + name);
                        }
                    }
                }
            }
            if (!served) {
                fail(d, "no Service selects its pods");
            }
            if (Repo.SERVICES.contains(name)) {
                boolean contractPort = false;
                for (JsonNode c : d.path("spec").path("template").path("spec").path("containers")) {
                    for (JsonNode p : c.path("ports")) {
                        contractPort |= p.path("containerPort").asInt() == Repo.port(name);
                    }
                }
                if (!contractPort) {
                    fail(d, "does not expose its contract port " + Repo.port(name));
                }
            }
        }
    }

    private void checkServiceMonitor(ObjectNode sm) {
        List<ObjectNode> selected =
                ofKind("Service").stream()
                        .filter(
                                s ->
                                        matches(
                                                sm.path("spec").path("selector"),
                                                s.path("metadata").path("labels")))
                        .toList();
        if (selected.isEmpty()) {
            fail(sm, "selects no Service");
        }
        for (JsonNode endpoint : sm.path("spec").path("endpoints")) {
            if (!"/q/metrics".equals(Repo.text(endpoint, "/path"))) {
                fail(sm, "endpoint path must be /q/metrics");
            }
            String port = Repo.text(endpoint, "/port");
            for (ObjectNode s : selected) {
                boolean has = false;
                for (JsonNode p : s.path("spec").path("ports")) {
                    has |= port.equals(p.path("name").asText());
                }
                if (!has) {
                    fail(sm, "Service " + Repo.text(s, "/metadata/name") + " has no port " + port);
                }
            }
        }
    }

    private ObjectNode hpaFor(String deployment) {
        for (ObjectNode h : ofKind("HorizontalPodAutoscaler")) {
            if ("Deployment".equals(Repo.text(h, "/spec/scaleTargetRef/kind"))
                    && deployment.equals(Repo.text(h, "/spec/scaleTargetRef/name"))) {
                return h;
            }
        }
        return null;
    }

    private void checkHpa(ObjectNode h) {
        String target = Repo.text(h, "/spec/scaleTargetRef/name");
        boolean exists =
                ofKind("Deployment").stream()
                        .anyMatch(d -> target.equals(Repo.text(d, "/metadata/name")));
        if (!exists) {
            fail(h, "scales Deployment " + target + ", which is not in the manifests");
        }
        if (expect.production() && h.path("spec").path("minReplicas").asInt(1) < 2) {
            fail(h, "production keeps at least 2 replicas (minReplicas)");
        }
    }

    // --- Kafka topics ----------------------------------------------------------------------

    private void checkTopics() {
        List<ObjectNode> topics = ofKind("KafkaTopic");
        if (!expect.expectTopics()) {
            return;
        }
        Set<String> names = new HashSet<>();
        for (ObjectNode t : topics) {
            String topic = Repo.text(t, "/spec/topicName");
            names.add(topic.isEmpty() ? Repo.text(t, "/metadata/name") : topic);
            if (t.path("spec").path("partitions").asInt() != 12) {
                fail(t, "partitions must be 12");
            }
            if (t.path("spec").path("replicas").asInt() != 3) {
                fail(t, "replicas must be 3");
            }
            if (!"2".equals(Repo.text(t, "/spec/config/min.insync.replicas"))) {
                fail(t, "config min.insync.replicas must be 2");
            }
            if (Repo.text(t, "/metadata/labels/strimzi.io~1cluster").isEmpty()) {
                fail(t, "needs the strimzi.io/cluster label");
            }
        }
        for (String topic : Repo.CONTRACT_TOPICS) {
            if (!names.contains(topic)) {
                violations.add("missing KafkaTopic " + topic);
            }
        }
        if (names.contains(Repo.CONSOLE_DLQ)) {
            violations.add("KafkaTopic " + Repo.CONSOLE_DLQ + ": the console produces nothing");
        }
    }

    // --- label selection -------------------------------------------------------------------

    private boolean anyMatches(String kind, String selectorPointer, JsonNode labels) {
        return ofKind(kind).stream().anyMatch(r -> matches(r.at(selectorPointer), labels));
    }

    /** A LabelSelector (matchLabels only: matchExpressions are reported, not evaluated). */
    private boolean matches(JsonNode selector, JsonNode labels) {
        if (!selector.path("matchExpressions").isEmpty()) {
            violations.add("matchExpressions are not supported by the policy check: " + selector);
            return false;
        }
        return matchLabels(selector.path("matchLabels"), labels);
    }

    private static boolean matchLabels(JsonNode matchLabels, JsonNode labels) {
        if (matchLabels.isMissingNode() || matchLabels.isEmpty()) {
            return false;
        }
        var it = matchLabels.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> containerPortNames(JsonNode deployment) {
        Set<String> names = new HashSet<>();
        for (JsonNode c :
                deployment.path("spec").path("template").path("spec").path("containers")) {
            c.path("ports").forEach(p -> names.add(p.path("name").asText()));
        }
        return names;
    }

    static String imageTag(String image) {
        String ref = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = ref.lastIndexOf(':');
        return colon > ref.lastIndexOf('/') ? ref.substring(colon + 1) : "";
    }
}
