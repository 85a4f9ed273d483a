package io.tributary.deploy.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A minimal kustomize renderer, enough for deploy/kubernetes and nothing more, so the checks run
 * where no kubectl or kustomize binary exists; where kubectl is present, KubectlKustomizeTest holds
 * it to {@code kubectl kustomize}. It supports exactly these kustomization fields and fails on any
 * other (so the overlays cannot quietly use something it does not render):
 *
 * <ul>
 *   <li>{@code resources}: YAML files (multi-document) and directories holding a kustomization;
 *   <li>{@code patches}: strategic-merge patches from {@code path}, matched by the patch's kind and
 *       name, or applied to every resource a {@code target} selects (kind, name, equality-based
 *       {@code labelSelector}). Merge semantics: maps merge recursively, {@code null} deletes,
 *       lists of containers/env/volumes/imagePullSecrets merge by {@code name}, volumeMounts by
 *       {@code mountPath}, ports by {@code containerPort}/{@code port}, any other list is replaced
 *       (as Kubernetes' patch strategies do for the fields we patch); a merged list holds the
 *       patch's items first, in the patch's order, then the items the patch does not name, as
 *       kustomize orders it. No {@code $patch} directives, no JSON 6902 patches;
 *   <li>{@code images}: {@code name} → {@code newName}, {@code newTag}, {@code digest} on the
 *       containers and initContainers of pod templates;
 *   <li>{@code replicas}: {@code name}/{@code count} on Deployments;
 *   <li>{@code namespace}: set on every resource but Namespaces (we have no cluster-scoped kinds
 *       other than Namespace), and on the ServiceAccount subjects of RoleBindings that name a
 *       ServiceAccount of the rendering and have no namespace (or "default"), as kustomize's name
 *       reference does.
 * </ul>
 *
 * Order as kustomize: resources, patches, then namespace, replicas and images. A patch or a
 * replicas/images entry that matches nothing is an error, as a duplicate resource id is.
 */
final class Kustomize {
    private static final Set<String> SUPPORTED =
            Set.of("apiVersion", "kind", "resources", "patches", "images", "replicas", "namespace");
    private static final Map<String, List<String>> MERGE_KEYS =
            Map.of(
                    "containers", List.of("name"),
                    "initContainers", List.of("name"),
                    "env", List.of("name"),
                    "volumes", List.of("name"),
                    "imagePullSecrets", List.of("name"),
                    "volumeMounts", List.of("mountPath"),
                    "ports", List.of("containerPort", "port"));

    private Kustomize() {}

    /** Renders the kustomization in {@code dir}. */
    static List<ObjectNode> build(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no kustomization.yaml in " + dir);
        }
        JsonNode k = Repo.yaml(Repo.read(file));
        k.fieldNames()
                .forEachRemaining(
                        f -> {
                            if (!SUPPORTED.contains(f)) {
                                throw new IllegalStateException(
                                        file
                                                + ": kustomization field '"
                                                + f
                                                + "' is not supported by the deploy/checks"
                                                + " renderer (supported: "
                                                + SUPPORTED
                                                + ")");
                            }
                        });
        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) {
                resources.addAll(build(p));
            } else if (Files.isRegularFile(p)) {
                resources.addAll(Repo.yamlDocuments(Repo.read(p), p.toString()));
            } else {
                throw new IllegalStateException(file + ": resource " + r.asText() + " not found");
            }
        }
        for (JsonNode patch : k.path("patches")) {
            Path p = dir.resolve(patch.path("path").asText()).normalize();
            if (!patch.has("path") || !Files.isRegularFile(p)) {
                throw new IllegalStateException(file + ": patch needs an existing path: " + patch);
            }
            List<ObjectNode> docs = Repo.yamlDocuments(Repo.read(p), p.toString());
            if (docs.size() != 1) {
                throw new IllegalStateException(p + ": one patch per file");
            }
            applyPatch(resources, docs.get(0), patch.get("target"), p.toString());
        }
        String namespace = k.path("namespace").asText("");
        if (!namespace.isEmpty()) {
            Set<String> accounts = new HashSet<>();
            for (ObjectNode r : resources) {
                if ("ServiceAccount".equals(Repo.text(r, "/kind"))
                        && Repo.text(r, "/metadata/namespace").isEmpty()) {
                    accounts.add(Repo.text(r, "/metadata/name"));
                }
            }
            for (ObjectNode r : resources) {
                if (!"Namespace".equals(Repo.text(r, "/kind"))) {
                    metadata(r).put("namespace", namespace);
                }
                if ("RoleBinding".equals(Repo.text(r, "/kind"))) {
                    followAccounts(r, accounts, namespace);
                }
            }
        }
        for (JsonNode rep : k.path("replicas")) {
            List<ObjectNode> hits =
                    resources.stream()
                            .filter(r -> "Deployment".equals(Repo.text(r, "/kind")))
                            .filter(
                                    r ->
                                            Repo.text(r, "/metadata/name")
                                                    .equals(rep.path("name").asText()))
                            .toList();
            if (hits.isEmpty()) {
                throw new IllegalStateException(file + ": replicas entry matches nothing: " + rep);
            }
            hits.forEach(
                    r -> ((ObjectNode) r.get("spec")).put("replicas", rep.path("count").asInt()));
        }
        for (JsonNode image : k.path("images")) {
            int hits = 0;
            for (ObjectNode r : resources) {
                for (String list : List.of("containers", "initContainers")) {
                    for (JsonNode c : r.path("spec").path("template").path("spec").path(list)) {
                        if (renameImage((ObjectNode) c, image)) {
                            hits++;
                        }
                    }
                }
            }
            if (hits == 0) {
                throw new IllegalStateException(file + ": images entry matches nothing: " + image);
            }
        }
        Set<String> ids = new HashSet<>();
        for (ObjectNode r : resources) {
            if (!ids.add(id(r))) {
                throw new IllegalStateException(dir + ": duplicate resource " + id(r));
            }
        }
        return resources;
    }

    /**
     * kustomize's name reference: a ServiceAccount subject without a namespace (or "default") that
     * names a ServiceAccount of the rendering follows it into the new namespace.
     */
    private static void followAccounts(ObjectNode binding, Set<String> accounts, String namespace) {
        for (JsonNode s : binding.path("subjects")) {
            String ns = s.path("namespace").asText("");
            if ("ServiceAccount".equals(s.path("kind").asText())
                    && accounts.contains(s.path("name").asText())
                    && (ns.isEmpty() || ns.equals("default"))) {
                ((ObjectNode) s).put("namespace", namespace);
            }
        }
    }

    static String id(JsonNode r) {
        return Repo.text(r, "/kind")
                + "/"
                + Repo.text(r, "/metadata/namespace")
                + "/"
                + Repo.text(r, "/metadata/name");
    }

    private static ObjectNode metadata(ObjectNode r) {
        return r.has("metadata") ? (ObjectNode) r.get("metadata") : r.putObject("metadata");
    }

    private static void applyPatch(
            List<ObjectNode> resources, ObjectNode patch, JsonNode target, String origin) {
        List<ObjectNode> hits = new ArrayList<>();
        for (ObjectNode r : resources) {
            boolean match;
            if (target == null) {
                match =
                        Repo.text(r, "/kind").equals(Repo.text(patch, "/kind"))
                                && Repo.text(r, "/metadata/name")
                                        .equals(Repo.text(patch, "/metadata/name"));
            } else {
                match = selects(target, r);
            }
            if (match) {
                hits.add(r);
            }
        }
        if (hits.isEmpty()) {
            throw new IllegalStateException(origin + ": patch matches no resource");
        }
        for (ObjectNode r : hits) {
            ObjectNode body = patch.deepCopy();
            body.remove("apiVersion");
            body.remove("kind");
            if (body.get("metadata") instanceof ObjectNode m) {
                m.remove("name");
                m.remove("namespace");
            }
            merge(r, body);
        }
    }

    private static boolean selects(JsonNode target, JsonNode r) {
        if (target.has("kind") && !target.get("kind").asText().equals(Repo.text(r, "/kind"))) {
            return false;
        }
        if (target.has("name")
                && !target.get("name").asText().equals(Repo.text(r, "/metadata/name"))) {
            return false;
        }
        for (String f : List.of("group", "version", "namespace", "annotationSelector")) {
            if (target.has(f)) {
                throw new IllegalStateException("patch target field '" + f + "' not supported");
            }
        }
        if (target.has("labelSelector")) {
            for (String term : target.get("labelSelector").asText().split(",")) {
                String[] kv = term.trim().split("=", 2);
                if (kv.length != 2 || kv[0].endsWith("!")) {
                    throw new IllegalStateException(
                            "only equality label selectors are supported: " + term);
                }
                if (!kv[1].equals(r.path("metadata").path("labels").path(kv[0]).asText(null))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Strategic merge of {@code patch} into {@code target} (see the class comment). */
    static void merge(ObjectNode target, ObjectNode patch) {
        patch.fields()
                .forEachRemaining(
                        e -> {
                            String field = e.getKey();
                            JsonNode value = e.getValue();
                            JsonNode current = target.get(field);
                            if (value.isNull()) {
                                target.remove(field);
                            } else if (value instanceof ObjectNode pv
                                    && current instanceof ObjectNode cv) {
                                merge(cv, pv);
                            } else if (value instanceof ArrayNode pa
                                    && current instanceof ArrayNode ca
                                    && MERGE_KEYS.containsKey(field)) {
                                target.set(field, mergeList(field, ca, pa));
                            } else {
                                target.set(field, value.deepCopy());
                            }
                        });
    }

    private static ArrayNode mergeList(String field, ArrayNode current, ArrayNode patch) {
        String key = null;
        for (String candidate : MERGE_KEYS.get(field)) {
            if (patch.size() > 0 && patch.get(0).has(candidate)) {
                key = candidate;
                break;
            }
        }
        if (key == null) {
            return patch.deepCopy();
        }
        // As kustomize orders a merged list: the patch's items in the patch's order (each merged
        // into the item it names, if any), then the items the patch does not name, in their order.
        Map<String, ObjectNode> byKey = new LinkedHashMap<>();
        for (JsonNode item : current) {
            byKey.put(item.path(key).asText(), (ObjectNode) item.deepCopy());
        }
        ArrayNode result = Repo.JSON.createArrayNode();
        for (JsonNode item : patch) {
            ObjectNode existing = byKey.remove(item.path(key).asText());
            if (existing != null) {
                merge(existing, (ObjectNode) item);
                result.add(existing);
            } else {
                result.add(item.deepCopy());
            }
        }
        byKey.values().forEach(result::add);
        return result;
    }

    private static boolean renameImage(ObjectNode container, JsonNode entry) {
        String image = container.path("image").asText();
        String digest = "";
        int at = image.indexOf('@');
        if (at >= 0) {
            digest = image.substring(at + 1);
            image = image.substring(0, at);
        }
        String tag = "";
        int colon = image.lastIndexOf(':');
        if (colon > image.lastIndexOf('/')) {
            tag = image.substring(colon + 1);
            image = image.substring(0, colon);
        }
        if (!image.equals(entry.path("name").asText())) {
            return false;
        }
        String name = entry.path("newName").asText(image);
        if (entry.has("newTag")) {
            tag = entry.get("newTag").asText();
        }
        if (entry.has("digest")) {
            digest = entry.get("digest").asText();
        }
        String result = name;
        if (!digest.isEmpty()) {
            result += "@" + digest;
        } else if (!tag.isEmpty()) {
            result += ":" + tag;
        }
        container.put("image", result);
        return true;
    }
}
