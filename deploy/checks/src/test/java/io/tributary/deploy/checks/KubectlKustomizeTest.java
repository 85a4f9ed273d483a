package io.tributary.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where {@code kubectl} is on the PATH, every kustomization under deploy/kubernetes is rendered
 * with {@code kubectl kustomize} too, and must give the same resources as the checks' own renderer
 * ({@link Kustomize}): the same set of documents, each equal as parsed YAML (keys in any order,
 * documents in any order). Without kubectl the test says so in the build log and is reported
 * skipped.
 */
class KubectlKustomizeTest {
    private static final long TIMEOUT_SECONDS = 120;

    @ParameterizedTest
    @MethodSource("io.tributary.deploy.checks.KubernetesManifestsTest#overlays")
    void kubectlRendersWhatTheChecksRender(KubernetesManifestsTest.Overlay overlay) {
        Optional<Path> kubectl = kubectl();
        if (kubectl.isEmpty()) {
            String message =
                    "KubectlKustomizeTest: kubectl is not on the PATH: "
                            + overlay
                            + " is NOT compared with `kubectl kustomize` (only the checks' own"
                            + " renderer ran)";
            System.err.println(message);
            Assumptions.abort(message);
        }
        Path dir = Repo.path("deploy/kubernetes/" + overlay.dir());

        List<ObjectNode> theirs =
                Repo.yamlDocuments(kustomize(kubectl.get(), dir), "kubectl kustomize " + dir);
        List<ObjectNode> ours = overlay.render();

        assertThat(differences(ours, theirs))
                .as("%s: the checks' renderer vs `kubectl kustomize`", overlay)
                .isEmpty();
        assertThat(theirs).as("%s renders resources", overlay).isNotEmpty();
    }

    @Test
    void theComparisonSeesWhatDiffers() {
        List<ObjectNode> ours =
                new KubernetesManifestsTest.Overlay("overlays/dev", null, "").render();
        List<ObjectNode> theirs = new ArrayList<>();
        ours.forEach(r -> theirs.add(r.deepCopy()));
        Collections.reverse(theirs);
        assertThat(differences(ours, theirs)).as("the same documents in another order").isEmpty();

        ((ObjectNode) theirs.get(0).get("metadata")).put("generateName", "extra-");
        ObjectNode dropped = theirs.remove(1);
        assertThat(differences(ours, theirs))
                .hasSize(2)
                .anyMatch(d -> d.endsWith(" /metadata/generateName: only kubectl has \"extra-\""))
                .anyMatch(
                        d ->
                                d.contains(Kustomize.id(dropped))
                                        && d.endsWith(
                                                "1 in the checks' rendering, 0 in kubectl's"));
    }

    /** The first executable {@code kubectl} on the PATH. */
    static Optional<Path> kubectl() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, "kubectl");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String kustomize(Path kubectl, Path dir) {
        try {
            Process process =
                    new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                            .start();
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(
                        "kubectl kustomize " + dir + " took over " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(
                        "kubectl kustomize "
                                + dir
                                + " failed ("
                                + process.exitValue()
                                + "): "
                                + err.join());
            }
            return out.join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (in) {
                        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /**
     * What differs between two renderings, as lines a person can act on: resources only one side
     * has, and for a resource both have, the JSON pointers where they differ.
     */
    static List<String> differences(List<ObjectNode> ours, List<ObjectNode> theirs) {
        Map<String, List<ObjectNode>> a = byId(ours);
        Map<String, List<ObjectNode>> b = byId(theirs);
        List<String> out = new ArrayList<>();
        TreeSet<String> ids = new TreeSet<>(a.keySet());
        ids.addAll(b.keySet());
        for (String id : ids) {
            List<ObjectNode> x = a.getOrDefault(id, List.of());
            List<ObjectNode> y = b.getOrDefault(id, List.of());
            if (x.size() != y.size()) {
                out.add(
                        id
                                + ": "
                                + x.size()
                                + " in the checks' rendering, "
                                + y.size()
                                + " in kubectl's");
            } else if (x.size() == 1) {
                List<String> paths = new ArrayList<>();
                diff("", x.get(0), y.get(0), paths);
                paths.forEach(p -> out.add(id + " " + p));
            } else if (!new ArrayList<>(x).containsAll(y) || !new ArrayList<>(y).containsAll(x)) {
                out.add(id + ": the " + x.size() + " documents with this id differ");
            }
        }
        return out;
    }

    private static Map<String, List<ObjectNode>> byId(List<ObjectNode> docs) {
        Map<String, List<ObjectNode>> map = new TreeMap<>();
        for (ObjectNode doc : docs) {
            map.computeIfAbsent(
                            Repo.text(doc, "/apiVersion") + " " + Kustomize.id(doc),
                            k -> new ArrayList<>())
                    .add(doc);
        }
        return map;
    }

    private static void diff(String at, JsonNode ours, JsonNode theirs, List<String> out) {
        if (ours.equals(theirs)) {
            return;
        }
        if (ours.isObject() && theirs.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            ours.fieldNames().forEachRemaining(names::add);
            theirs.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String path = at + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!ours.has(name)) {
                    out.add(path + ": only kubectl has " + theirs.get(name));
                } else if (!theirs.has(name)) {
                    out.add(path + ": only the checks have " + ours.get(name));
                } else {
                    diff(path, ours.get(name), theirs.get(name), out);
                }
            }
        } else if (ours.isArray() && theirs.isArray() && ours.size() == theirs.size()) {
            Iterator<JsonNode> x = ours.elements();
            Iterator<JsonNode> y = theirs.elements();
            for (int i = 0; x.hasNext(); i++) {
                diff(at + "/" + i, x.next(), y.next(), out);
            }
        } else {
            out.add(at + ": the checks have " + ours + ", kubectl has " + theirs);
        }
    }
}
