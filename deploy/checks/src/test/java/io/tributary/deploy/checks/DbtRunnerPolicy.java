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
 * The transform-service's {@code kubernetes} runner (issue 20): dbt runs as Jobs. Over one rendered
 * overlay: the runner's RBAC (exactly the agreed rights), the dbt pods' ServiceAccount (no rights,
 * no token) and NetworkPolicy (nothing in; out only DNS and the warehouse), and the runner's {@code
 * TRIBUTARY_TRANSFORM_KUBERNETES_*} settings on the transform-service. Over a Job (the golden
 * {@code deploy/kubernetes/examples/dbt-run-job.yaml}): the agreed labels, name and security
 * context, and no secret literal. One readable line per broken rule.
 */
final class DbtRunnerPolicy {
    static final String RUNNER = "transform-service";
    static final String DBT_ACCOUNT = "tributary-dbt";
    static final String DEFAULT_WAREHOUSE_SECRET = "tributary-warehouse";
    static final String ENV_PREFIX = "TRIBUTARY_TRANSFORM_KUBERNETES_";
    static final String WAREHOUSE_SECRET_VARIABLE = ENV_PREFIX + "WAREHOUSE_SECRET";

    /** The labels every dbt Job and its pod carry (the agreed interface), fixed values only. */
    static final Map<String, String> POD_LABELS =
            Map.of(
                    "app.kubernetes.io/name", "tributary-dbt",
                    "app.kubernetes.io/part-of", "tributary",
                    "app.kubernetes.io/component", "dbt-run");

    static final String RUN_ID_LABEL = "tributary.io/run-id";
    static final String TRANSFORM_LABEL = "tributary.io/transform";

    /** What the runner may do, as "apiGroup/resource verb": exactly these, nothing more. */
    static final Set<String> GRANTS =
            Set.of(
                    "batch/jobs create",
                    "batch/jobs get",
                    "batch/jobs list",
                    "batch/jobs watch",
                    "batch/jobs delete",
                    "/pods get",
                    "/pods list",
                    "/pods/log get");

    /** An env var a Job must take from a Secret: its name says secret, or it is the login. */
    static final Pattern JOB_SECRET_ENV =
            Pattern.compile("(?i)(.*(PASSWORD|TOKEN|SECRET|KEY).*|WAREHOUSE_USER)");

    private static final Pattern TOLERATION =
            Pattern.compile(
                    "[A-Za-z0-9./_-]+(=[A-Za-z0-9._-]*)?:(NoSchedule|PreferNoSchedule|NoExecute)");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern LABEL_VALUE =
            Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    private final List<ObjectNode> resources;
    private final boolean production;
    private final List<String> violations = new ArrayList<>();

    private DbtRunnerPolicy(List<ObjectNode> resources, boolean production) {
        this.resources = resources;
        this.production = production;
    }

    /** Over a rendered overlay that carries the services (base, dev, prod). */
    static List<String> check(List<ObjectNode> resources, boolean production) {
        DbtRunnerPolicy p = new DbtRunnerPolicy(resources, production);
        p.checkRbac();
        p.checkDbtAccount();
        p.checkDbtNetworkPolicies();
        p.checkRunnerSettings();
        return p.violations;
    }

    // --- what the other checks need to know ------------------------------------------------

    /** The runner's settings on a Deployment: its env names starting with the prefix. */
    static Set<String> runnerVariables(JsonNode deployment) {
        Set<String> names = new TreeSet<>();
        for (JsonNode c : deployment.at("/spec/template/spec/containers")) {
            for (JsonNode e : c.path("env")) {
                if (e.path("name").asText().startsWith(ENV_PREFIX)) {
                    names.add(e.path("name").asText());
                }
            }
        }
        return names;
    }

    /** The transform-service with the kubernetes runner configured: it talks to the API server. */
    static boolean usesApiServer(JsonNode deployment) {
        return RUNNER.equals(Repo.text(deployment, "/metadata/name"))
                && !runnerVariables(deployment).isEmpty();
    }

    /** The literal value of one of a Deployment's env vars, "" when absent or not literal. */
    static String env(JsonNode deployment, String name) {
        for (JsonNode c : deployment.at("/spec/template/spec/containers")) {
            for (JsonNode e : c.path("env")) {
                if (name.equals(e.path("name").asText())) {
                    return e.path("value").asText("");
                }
            }
        }
        return "";
    }

    /** The Secret the runner's Jobs read the warehouse login from. */
    static String warehouseSecret(JsonNode deployment) {
        String name = env(deployment, WAREHOUSE_SECRET_VARIABLE);
        return name.isEmpty() ? DEFAULT_WAREHOUSE_SECRET : name;
    }

    /** An egress peer/port pair to the API server: one host address, HTTPS or 6443. */
    static boolean isApiServerRule(JsonNode rule) {
        boolean any = false;
        for (JsonNode peer : rule.path("to")) {
            String cidr = Repo.text(peer, "/ipBlock/cidr");
            if (!peer.has("ipBlock") || !(cidr.endsWith("/32") || cidr.endsWith("/128"))) {
                return false;
            }
            any = true;
        }
        for (JsonNode port : rule.path("ports")) {
            if (!Set.of(443, 6443).contains(port.path("port").asInt())) {
                return false;
            }
        }
        return any && !rule.path("ports").isEmpty();
    }

    // --- RBAC ------------------------------------------------------------------------------

    private void fail(JsonNode resource, String message) {
        violations.add(Kustomize.id(resource) + ": " + message);
    }

    private List<ObjectNode> ofKind(String kind) {
        return resources.stream().filter(r -> kind.equals(Repo.text(r, "/kind"))).toList();
    }

    private ObjectNode named(String kind, String name) {
        return ofKind(kind).stream()
                .filter(r -> name.equals(Repo.text(r, "/metadata/name")))
                .findFirst()
                .orElse(null);
    }

    private void checkRbac() {
        for (String kind : List.of("ClusterRole", "ClusterRoleBinding")) {
            ofKind(kind).forEach(r -> fail(r, "no cluster-wide RBAC: the runner's Role is enough"));
        }
        ofKind("Role").forEach(this::checkRole);
        int runnerBindings = 0;
        for (ObjectNode rb : ofKind("RoleBinding")) {
            String roleKind = Repo.text(rb, "/roleRef/kind");
            String role = Repo.text(rb, "/roleRef/name");
            if (!"Role".equals(roleKind) || named("Role", role) == null) {
                fail(rb, "binds " + roleKind + " " + role + ", not a Role of these manifests");
            }
            for (JsonNode s : rb.path("subjects")) {
                String subject = s.path("kind").asText() + " " + s.path("name").asText();
                String ns = s.path("namespace").asText("");
                if (!("ServiceAccount " + RUNNER).equals(subject)) {
                    fail(rb, "binds " + subject + ": only the " + RUNNER + " has API rights");
                } else if (!ns.isEmpty() && !ns.equals(Repo.text(rb, "/metadata/namespace"))) {
                    fail(rb, "binds the " + RUNNER + " of namespace " + ns);
                } else {
                    runnerBindings++;
                }
            }
        }
        if (runnerBindings != 1) {
            violations.add(
                    "the "
                            + RUNNER
                            + " ServiceAccount must be bound to the runner's Role once, found "
                            + runnerBindings);
        }
    }

    /** Exactly {@link #GRANTS}: any other group, resource, verb, wildcard or name fails. */
    private void checkRole(ObjectNode role) {
        Set<String> granted = new TreeSet<>();
        for (JsonNode rule : role.path("rules")) {
            for (String field : List.of("resourceNames", "nonResourceURLs")) {
                if (rule.has(field)) {
                    fail(role, "rule with " + field + " is not part of the runner's rights");
                }
            }
            for (JsonNode group : rule.path("apiGroups")) {
                for (JsonNode resource : rule.path("resources")) {
                    for (JsonNode verb : rule.path("verbs")) {
                        String grant =
                                group.asText() + "/" + resource.asText() + " " + verb.asText();
                        granted.add(grant);
                        if (!GRANTS.contains(grant)) {
                            fail(role, "grants " + grant + ", more than the runner needs");
                        }
                    }
                }
            }
        }
        Set<String> missing = new TreeSet<>(GRANTS);
        missing.removeAll(granted);
        if (!missing.isEmpty()) {
            fail(role, "lacks what the runner needs: " + missing);
        }
    }

    // --- the dbt pods ----------------------------------------------------------------------

    private void checkDbtAccount() {
        ObjectNode sa = named("ServiceAccount", DBT_ACCOUNT);
        if (sa == null) {
            violations.add("missing ServiceAccount " + DBT_ACCOUNT + " (the dbt pods' identity)");
        } else if (sa.path("automountServiceAccountToken").asBoolean(true)) {
            fail(sa, "automountServiceAccountToken must be false (dbt needs no API)");
        }
    }

    private static boolean selectsDbtPods(JsonNode selector) {
        JsonNode matchLabels = selector.path("matchLabels");
        if (matchLabels.isEmpty() || !selector.path("matchExpressions").isEmpty()) {
            return false;
        }
        var it = matchLabels.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (!e.getValue().asText().equals(POD_LABELS.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Nothing in; out DNS, the warehouse (and the git host when git-sync fills the project). */
    private void checkDbtNetworkPolicies() {
        ObjectNode runner = named("Deployment", RUNNER);
        boolean gitSync =
                runner != null && "git-sync".equals(env(runner, ENV_PREFIX + "PROJECT_SOURCE"));
        boolean any = false;
        for (ObjectNode np : ofKind("NetworkPolicy")) {
            if (!selectsDbtPods(np.at("/spec/podSelector"))) {
                continue;
            }
            any = true;
            Set<String> types = new HashSet<>();
            np.at("/spec/policyTypes").forEach(t -> types.add(t.asText()));
            if (!types.containsAll(List.of("Ingress", "Egress"))) {
                fail(np, "policyTypes must list Ingress and Egress");
            }
            if (!np.at("/spec/ingress").isEmpty()) {
                fail(np, "dbt pods take no connections: no ingress rules");
            }
            for (JsonNode rule : np.at("/spec/egress")) {
                if (!isDns(rule) && !isWarehouse(rule) && !(gitSync && isGitHost(rule))) {
                    fail(np, "dbt pods may reach DNS and the warehouse only, not " + rule);
                }
            }
        }
        if (!any) {
            violations.add(
                    "no NetworkPolicy selects the dbt pods (labels "
                            + new TreeSet<>(
                                    POD_LABELS.entrySet().stream().map(Object::toString).toList())
                            + ")");
        }
    }

    private static boolean onlyPorts(JsonNode rule, Set<String> allowed) {
        if (rule.path("ports").isEmpty()) {
            return false;
        }
        for (JsonNode p : rule.path("ports")) {
            String protocol = p.path("protocol").asText("TCP");
            if (!allowed.contains(protocol + "/" + p.path("port").asText()) || p.has("endPort")) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDns(JsonNode rule) {
        if (!onlyPorts(rule, Set.of("UDP/53", "TCP/53")) || rule.path("to").isEmpty()) {
            return false;
        }
        for (JsonNode peer : rule.path("to")) {
            if (!"kube-dns".equals(Repo.text(peer, "/podSelector/matchLabels/k8s-app"))
                    || !"kube-system"
                            .equals(
                                    Repo.text(
                                            peer,
                                            "/namespaceSelector/matchLabels/kubernetes.io~1metadata.name"))) {
                return false;
            }
        }
        return true;
    }

    /** Pods labelled as the warehouse, or an address block that is not the internet. */
    private static boolean isWarehouse(JsonNode rule) {
        if (!onlyPorts(rule, Set.of("TCP/5432")) || rule.path("to").isEmpty()) {
            return false;
        }
        for (JsonNode peer : rule.path("to")) {
            boolean labelled =
                    "true"
                            .equals(
                                    Repo.text(
                                            peer,
                                            "/podSelector/matchLabels/tributary.io~1warehouse"));
            if (!labelled && !narrowBlock(peer)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isGitHost(JsonNode rule) {
        if (!onlyPorts(rule, Set.of("TCP/443", "TCP/22")) || rule.path("to").isEmpty()) {
            return false;
        }
        for (JsonNode peer : rule.path("to")) {
            if (!narrowBlock(peer)) {
                return false;
            }
        }
        return true;
    }

    /** An ipBlock of at most a /16 (IPv4) or /48 (IPv6): an address, never "anywhere". */
    private static boolean narrowBlock(JsonNode peer) {
        String cidr = Repo.text(peer, "/ipBlock/cidr");
        if (!peer.has("ipBlock") || peer.size() != 1 || !cidr.contains("/")) {
            return false;
        }
        int prefix = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
        return cidr.contains(":") ? prefix >= 48 : prefix >= 16;
    }

    // --- the runner's settings ---------------------------------------------------------------

    private void checkRunnerSettings() {
        for (ObjectNode cm : ofKind("ConfigMap")) {
            checkRunnerProperties(cm);
            cm.path("data")
                    .fieldNames()
                    .forEachRemaining(
                            key -> {
                                if (key.startsWith(ENV_PREFIX)) {
                                    fail(
                                            cm,
                                            key
                                                    + ": set the kubernetes runner's variables in"
                                                    + " the transform-service Deployment's env,"
                                                    + " where these checks read them");
                                }
                            });
        }
        ObjectNode runner = named("Deployment", RUNNER);
        if (runner == null) {
            return;
        }
        Set<String> variables = runnerVariables(runner);
        variables.stream()
                .filter(v -> !knownVariable(v))
                .forEach(v -> fail(runner, v + " is no setting of the kubernetes runner"));
        ObjectNode account =
                named(
                        "ServiceAccount",
                        Repo.text(runner, "/spec/template/spec/serviceAccountName"));
        JsonNode podToken = runner.at("/spec/template/spec/automountServiceAccountToken");
        boolean token =
                podToken.isBoolean()
                        ? podToken.asBoolean()
                        : account == null
                                || account.path("automountServiceAccountToken").asBoolean(true);
        if (variables.isEmpty()) {
            return;
        }
        if (!token) {
            fail(runner, "the kubernetes runner needs the ServiceAccount token (automount)");
        }
        String image = env(runner, ENV_PREFIX + "IMAGE");
        String tag = KubernetesPolicy.imageTag(image);
        if (image.isEmpty()) {
            fail(runner, ENV_PREFIX + "IMAGE must name the dbt image");
        } else if (!image.contains("@sha256:")
                && (tag.isEmpty()
                        || tag.equals("latest")
                        || (production
                                && !tag.matches("v?[0-9]+(\\.[0-9]+)*([-.][0-9A-Za-z.]+)?")))) {
            fail(runner, ENV_PREFIX + "IMAGE " + image + " must be pinned to a release or digest");
        }
        String dbtAccount = env(runner, ENV_PREFIX + "SERVICE_ACCOUNT");
        if (!dbtAccount.isEmpty() && !dbtAccount.equals(DBT_ACCOUNT)) {
            fail(runner, ENV_PREFIX + "SERVICE_ACCOUNT must be " + DBT_ACCOUNT);
        }
        String source = env(runner, ENV_PREFIX + "PROJECT_SOURCE");
        if (!source.isEmpty() && !Set.of("image", "git-sync", "pvc").contains(source)) {
            fail(runner, ENV_PREFIX + "PROJECT_SOURCE must be image, git-sync or pvc");
        }
        if (source.equals("git-sync")) {
            for (String v : List.of("GIT_SYNC_REPO", "GIT_SYNC_IMAGE")) {
                if (env(runner, ENV_PREFIX + v).isEmpty()) {
                    fail(runner, "git-sync needs " + ENV_PREFIX + v);
                }
            }
        }
        if (source.equals("pvc") && env(runner, ENV_PREFIX + "PVC_CLAIM_NAME").isEmpty()) {
            fail(runner, "pvc needs " + ENV_PREFIX + "PVC_CLAIM_NAME");
        }
        String tolerations = env(runner, ENV_PREFIX + "TOLERATIONS");
        for (String t : tolerations.isEmpty() ? new String[0] : tolerations.split(",")) {
            if (!TOLERATION.matcher(t.strip()).matches()) {
                fail(runner, "toleration '" + t + "' is not key[=value]:Effect");
            }
        }
        checkApiEgress(runner);
        checkWarehouseSecret(runner);
    }

    private static volatile RunnerSettings settings;

    /** The runner's settings as the transform-service's source declares them. */
    static RunnerSettings settings() {
        if (settings == null) {
            settings = RunnerSettings.read();
        }
        return settings;
    }

    private static boolean knownVariable(String name) {
        return settings().knowsVariable(name);
    }

    /** tributary.transform.kubernetes.* keys of application.properties files in ConfigMaps. */
    private void checkRunnerProperties(ObjectNode cm) {
        var files = cm.path("data").fields();
        while (files.hasNext()) {
            var file = files.next();
            if (!file.getKey().endsWith(".properties")) {
                continue;
            }
            for (String line : file.getValue().asText().lines().toList()) {
                String key = line.split("=", 2)[0].strip();
                if (key.startsWith(RunnerSettings.PREFIX + ".") && !settings().knowsProperty(key)) {
                    fail(cm, key + " (in " + file.getKey() + ") is no setting of the runner");
                }
            }
        }
    }

    private void checkApiEgress(ObjectNode runner) {
        JsonNode labels = runner.at("/spec/template/metadata/labels");
        for (ObjectNode np : ofKind("NetworkPolicy")) {
            JsonNode matchLabels = np.at("/spec/podSelector/matchLabels");
            boolean selects = !matchLabels.isEmpty();
            var it = matchLabels.fields();
            while (it.hasNext()) {
                var e = it.next();
                selects &= e.getValue().asText().equals(labels.path(e.getKey()).asText(null));
            }
            if (selects) {
                for (JsonNode rule : np.at("/spec/egress")) {
                    if (isApiServerRule(rule)) {
                        return;
                    }
                }
            }
        }
        fail(
                runner,
                "the kubernetes runner needs egress to the API server (an ipBlock on 443/6443)");
    }

    /** The Jobs' Secret exists where it must: an ExternalSecret with the login's two keys. */
    private void checkWarehouseSecret(ObjectNode runner) {
        if (!production) {
            return;
        }
        String secret = warehouseSecret(runner);
        ObjectNode external = null;
        for (ObjectNode es : ofKind("ExternalSecret")) {
            String target = Repo.text(es, "/spec/target/name");
            if (secret.equals(target.isEmpty() ? Repo.text(es, "/metadata/name") : target)) {
                external = es;
            }
        }
        if (external == null) {
            violations.add(
                    "Secret " + secret + " (the dbt Jobs' warehouse login) has no ExternalSecret");
            return;
        }
        Set<String> keys = new HashSet<>(external.at("/spec/data").findValuesAsText("secretKey"));
        for (String key : List.of("WAREHOUSE_USER", "WAREHOUSE_PASSWORD")) {
            if (!keys.contains(key)) {
                fail(external, "provides no " + key + " for the dbt Jobs");
            }
        }
    }

    // --- a Job ---------------------------------------------------------------------------------

    /** A dbt run's Job as the runner builds it; {@code warehouseSecret} is the runner's. */
    static List<String> checkJob(JsonNode job, String warehouseSecret) {
        List<String> v = new ArrayList<>();
        if (!"batch/v1".equals(Repo.text(job, "/apiVersion"))
                || !"Job".equals(Repo.text(job, "/kind"))) {
            v.add("not a batch/v1 Job");
        }
        String name = Repo.text(job, "/metadata/name");
        String runId = Repo.text(job, "/metadata/labels/tributary.io~1run-id");
        String transform = Repo.text(job, "/metadata/labels/tributary.io~1transform");
        for (String where : List.of("/metadata/labels", "/spec/template/metadata/labels")) {
            JsonNode labels = job.at(where);
            POD_LABELS.forEach(
                    (k, value) -> {
                        if (!value.equals(labels.path(k).asText())) {
                            v.add(where + ": " + k + " must be " + value);
                        }
                    });
            if (!UUID.matcher(labels.path(RUN_ID_LABEL).asText()).matches()) {
                v.add(where + ": " + RUN_ID_LABEL + " must be the run's uuid");
            } else if (!runId.equals(labels.path(RUN_ID_LABEL).asText())) {
                v.add(where + ": " + RUN_ID_LABEL + " differs from the Job's");
            }
            String t = labels.path(TRANSFORM_LABEL).asText();
            if (t.isEmpty() || !LABEL_VALUE.matcher(t).matches() || !t.equals(transform)) {
                v.add(where + ": " + TRANSFORM_LABEL + " must be the transform's name");
            }
        }
        String expected =
                "dbt-"
                        + transform.replace('_', '-')
                        + "-"
                        + (runId.length() >= 8 ? runId.substring(0, 8) : runId);
        if (!name.equals(expected)) {
            v.add("name " + name + " must be " + expected);
        }
        if (name.length() > 63 || !DNS_LABEL.matcher(name).matches()) {
            v.add("name " + name + " is not a DNS-1123 label of at most 63 characters");
        }
        JsonNode pod = job.at("/spec/template/spec");
        if (!DBT_ACCOUNT.equals(Repo.text(pod, "/serviceAccountName"))) {
            v.add("serviceAccountName must be " + DBT_ACCOUNT);
        }
        if (pod.path("automountServiceAccountToken").asBoolean(true)) {
            v.add("automountServiceAccountToken must be false");
        }
        if (!"Never".equals(Repo.text(pod, "/restartPolicy"))) {
            v.add("restartPolicy must be Never (the runner reads one exit code)");
        }
        for (String flag : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (pod.path(flag).asBoolean(false)) {
                v.add(flag + " must not be set");
            }
        }
        JsonNode psc = pod.path("securityContext");
        if (!psc.path("runAsNonRoot").asBoolean(false)) {
            v.add("pod securityContext.runAsNonRoot must be true");
        }
        if (psc.has("runAsUser") && psc.path("runAsUser").asInt() == 0) {
            v.add("pod securityContext.runAsUser must not be 0");
        }
        boolean podSeccomp = "RuntimeDefault".equals(Repo.text(psc, "/seccompProfile/type"));
        Map<String, JsonNode> volumes = new java.util.HashMap<>();
        pod.path("volumes").forEach(vol -> volumes.put(vol.path("name").asText(), vol));
        if (pod.path("containers").isEmpty()) {
            v.add("no containers");
        }
        boolean login = false;
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : pod.path(list)) {
                checkJobContainer(v, c, podSeccomp, volumes);
                login |= checkJobEnv(v, c, warehouseSecret);
            }
        }
        if (!login) {
            v.add("no container reads WAREHOUSE_PASSWORD from Secret " + warehouseSecret);
        }
        for (JsonNode vol : pod.path("volumes")) {
            if (vol.has("hostPath")) {
                v.add("volume " + vol.path("name").asText() + ": no hostPath");
            }
        }
        return v;
    }

    private static void checkJobContainer(
            List<String> v, JsonNode c, boolean podSeccomp, Map<String, JsonNode> volumes) {
        String where = "container " + c.path("name").asText() + ": ";
        String image = c.path("image").asText();
        String tag = KubernetesPolicy.imageTag(image);
        if (!image.contains("@sha256:") && (tag.isEmpty() || tag.equals("latest"))) {
            v.add(where + "image " + image + " is not pinned to a tag or digest");
        }
        KubernetesPolicy.lockedDown(c, podSeccomp, volumes).forEach(m -> v.add(where + m));
        // A memory limit (dbt's memory grows with the project); CPU is requested, not capped.
        for (String resource : List.of("requests/cpu", "requests/memory", "limits/memory")) {
            if (c.at("/resources/" + resource).isMissingNode()) {
                v.add(where + "resources." + resource.replace('/', '.') + " is missing");
            }
        }
    }

    /**
     * Secret-looking env vars only by secretKeyRef; true when this container gets the warehouse
     * password from the runner's Secret.
     */
    private static boolean checkJobEnv(List<String> v, JsonNode c, String warehouseSecret) {
        String where = "container " + c.path("name").asText() + ": ";
        boolean login = false;
        for (JsonNode e : c.path("env")) {
            String name = e.path("name").asText();
            JsonNode ref = e.at("/valueFrom/secretKeyRef");
            if (JOB_SECRET_ENV.matcher(name).matches() && ref.isMissingNode()) {
                v.add(
                        where
                                + "env "
                                + name
                                + " must come from a Secret (secretKeyRef), not "
                                + (e.has("value") ? "a literal" : e.path("valueFrom").toString()));
            }
            if (name.equals("WAREHOUSE_PASSWORD")
                    && warehouseSecret.equals(ref.path("name").asText())) {
                login = true;
            }
        }
        for (JsonNode from : c.path("envFrom")) {
            login |= warehouseSecret.equals(Repo.text(from, "/secretRef/name"));
        }
        return login;
    }
}
