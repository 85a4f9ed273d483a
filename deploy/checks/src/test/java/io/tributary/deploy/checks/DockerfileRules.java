package io.tributary.deploy.checks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What every Tributary image must be; one line per broken rule. */
final class DockerfileRules {
    private DockerfileRules() {}

    /**
     * @param module the Maven module the image is built from ({@code trigger-service}, {@code
     *     deploy/airbyte-sandbox})
     * @param port the port it serves and checks its health on
     */
    static List<String> check(Dockerfile file, String module, int port, Path context) {
        List<String> v = new ArrayList<>();
        if (file.stages().size() < 2) {
            v.add("must be a multi-stage build (a build stage and a runtime stage)");
        }
        Set<String> aliases = new HashSet<>();
        for (Dockerfile.Stage stage : file.stages()) {
            String image = stage.image();
            if (!aliases.contains(image)) {
                if (image.contains("$")) {
                    v.add(
                            "FROM "
                                    + image
                                    + ": a base image from a build argument cannot be checked");
                } else if (!image.contains("@sha256:")) {
                    String tag = KubernetesPolicy.imageTag(image);
                    if (tag.isEmpty() || tag.equals("latest")) {
                        v.add("FROM " + image + ": pin the base image to a version tag or digest");
                    } else if (!tag.matches(".*[0-9].*")) {
                        v.add("FROM " + image + ": tag '" + tag + "' names no version");
                    }
                }
            }
            if (stage.alias() != null) {
                aliases.add(stage.alias());
            }
        }
        boolean builds =
                file.stages().stream()
                        .limit(Math.max(0, file.stages().size() - 1))
                        .flatMap(s -> s.all("RUN").stream())
                        .anyMatch(
                                r ->
                                        r.args().contains("./mvnw")
                                                && r.args().contains("-pl " + module)
                                                && r.args().contains("package"));
        if (!builds) {
            v.add(
                    "a build stage must build the module from source: ./mvnw ... -pl "
                            + module
                            + " ... package");
        }
        Dockerfile.Stage runtime = file.last();
        Dockerfile.Instruction user = runtime.last("USER");
        if (user == null) {
            v.add("the runtime stage needs a USER (it would run as root)");
        } else {
            String uid = user.args().split(":")[0].strip();
            if (!uid.matches("[0-9]+")) {
                v.add(
                        "USER "
                                + user.args()
                                + ": use a numeric uid (runAsNonRoot can verify only those)");
            } else if (Integer.parseInt(uid) == 0) {
                v.add("USER " + user.args() + ": the runtime must not run as root");
            }
        }
        Dockerfile.Instruction health = runtime.last("HEALTHCHECK");
        if (health == null || health.args().strip().equalsIgnoreCase("NONE")) {
            v.add("the runtime stage needs a HEALTHCHECK");
        } else if (!health.args().contains("http://127.0.0.1:" + port + "/")) {
            v.add("HEALTHCHECK must probe http://127.0.0.1:" + port + "/...");
        }
        if (runtime.all("EXPOSE").stream().noneMatch(e -> e.args().equals(String.valueOf(port)))) {
            v.add("EXPOSE " + port + " is missing");
        }
        boolean sized =
                runtime.all("ENV").stream()
                        .anyMatch(
                                e ->
                                        e.args().contains("JAVA_OPTS")
                                                && e.args().contains("-XX:MaxRAMPercentage="));
        if (!sized) {
            v.add("ENV JAVA_OPTS must size the heap from the container (-XX:MaxRAMPercentage=)");
        }
        Dockerfile.Instruction entry = runtime.last("ENTRYPOINT");
        if (entry == null
                || !entry.args().contains("$JAVA_OPTS")
                || !entry.args().contains("exec java")) {
            v.add("ENTRYPOINT must exec java with $JAVA_OPTS (PID 1 gets the signals)");
        }
        for (Dockerfile.Stage stage : file.stages()) {
            for (Dockerfile.Instruction copy : stage.all("COPY")) {
                if (copy.args().contains("--from=")) {
                    continue;
                }
                String[] words = copy.args().replaceAll("--\\S+\\s*", "").split("\\s+");
                for (int i = 0; i < words.length - 1; i++) {
                    String source = words[i];
                    if (!source.contains("*") && !Files.exists(context.resolve(source))) {
                        v.add("COPY " + source + ": not in the build context (repository root)");
                    }
                }
            }
        }
        return v;
    }
}
