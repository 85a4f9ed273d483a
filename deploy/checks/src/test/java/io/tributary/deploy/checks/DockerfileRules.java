package io.tributary.deploy.checks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
        checkBases(file, v);
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
        checkUser(runtime, v);
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
        checkCopySources(file, context, v);
        return v;
    }

    /**
     * The dbt image the kubernetes runner's Jobs run (deploy/docker/dbt.Dockerfile): no service, no
     * port, no JVM, but the same base, user and context rules, plus the agreed contents: the pinned
     * dbt of {@code deploy/dbt/requirements.txt}, a profiles.yml at /etc/dbt whose every connection
     * value is an env_var (the login without a default), the demo project at /project, uid 10001,
     * {@code ENTRYPOINT ["dbt"]}, no secret in ENV.
     */
    static List<String> checkDbt(Dockerfile file, Path context) {
        List<String> v = new ArrayList<>();
        checkBases(file, v);
        Dockerfile.Stage runtime = file.last();
        if (!runtime.image().matches("python:3\\.11\\.[0-9]+-slim.*")) {
            v.add("FROM " + runtime.image() + ": the dbt image runs on python:3.11.x-slim");
        }
        String requirements = null;
        for (Dockerfile.Stage stage : file.stages()) {
            for (Dockerfile.Instruction copy : stage.all("COPY")) {
                String[] words = copy.args().split("\\s+");
                if (words.length == 2 && words[0].equals(DBT_REQUIREMENTS)) {
                    requirements = words[1];
                }
            }
        }
        String installed = requirements;
        boolean pip =
                installed != null
                        && file.stages().stream()
                                .flatMap(s -> s.all("RUN").stream())
                                .anyMatch(
                                        r ->
                                                r.args().contains("pip install")
                                                        && r.args().contains("-r " + installed));
        if (!pip) {
            v.add("dbt must be installed with pip install -r " + DBT_REQUIREMENTS + " (copied in)");
        }
        checkPins(Repo.read(context.resolve(DBT_REQUIREMENTS)), v);
        String profiles = copySource(runtime, "/etc/dbt/profiles.yml");
        if (profiles == null) {
            v.add("the runtime stage must COPY a profiles.yml to /etc/dbt/profiles.yml");
        } else if (Files.isRegularFile(context.resolve(profiles))) {
            checkProfiles(Repo.read(context.resolve(profiles)), profiles, v);
        }
        Map<String, String> env = env(runtime);
        if (!"/etc/dbt".equals(env.get("DBT_PROFILES_DIR"))) {
            v.add("ENV DBT_PROFILES_DIR must be /etc/dbt");
        }
        env.keySet().stream()
                .filter(
                        k ->
                                KubernetesPolicy.SECRET_KEY.matcher(k).matches()
                                        || k.equals("WAREHOUSE_USER"))
                .forEach(k -> v.add("ENV " + k + ": no credential in the image"));
        if (!DBT_DEMO.equals(copySource(runtime, "/project"))) {
            v.add("the runtime stage must COPY " + DBT_DEMO + " /project (project from the image)");
        }
        Dockerfile.Instruction user = runtime.last("USER");
        checkUser(runtime, v);
        if (user != null && !user.args().split(":")[0].strip().equals("10001")) {
            v.add("USER " + user.args() + ": the dbt pods run as uid 10001");
        }
        Dockerfile.Instruction entry = runtime.last("ENTRYPOINT");
        if (entry == null || !entry.args().matches("\\[\\s*\"([^\"]*/)?dbt\"\\s*]")) {
            v.add("ENTRYPOINT must be [\"dbt\"] (exec form: the Job's args are dbt's, PID 1 dbt)");
        }
        checkCopySources(file, context, v);
        return v;
    }

    static final String DBT_REQUIREMENTS = "deploy/dbt/requirements.txt";
    static final String DBT_DEMO = "deploy/dbt/demo";

    /** Every requirement pinned with ==; dbt-core and dbt-postgres among them. */
    static void checkPins(String requirements, List<String> v) {
        Set<String> pinned = new HashSet<>();
        for (String line : requirements.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!line.matches("[A-Za-z0-9._-]+==[0-9][0-9A-Za-z.]*")) {
                v.add(DBT_REQUIREMENTS + ": '" + line + "' is not pinned with ==");
            } else {
                pinned.add(line.substring(0, line.indexOf("==")));
            }
        }
        for (String p : List.of("dbt-core", "dbt-postgres")) {
            if (!pinned.contains(p)) {
                v.add(DBT_REQUIREMENTS + ": " + p + " must be pinned");
            }
        }
    }

    private static final List<String> CONNECTION_KEYS =
            List.of("host", "port", "user", "password", "dbname", "schema");

    /** Every output's connection values from env_var(...); user and password without a default. */
    static void checkProfiles(String yaml, String origin, List<String> v) {
        com.fasterxml.jackson.databind.JsonNode profiles = Repo.yaml(yaml);
        profiles.fields()
                .forEachRemaining(
                        profile -> {
                            var outputs = profile.getValue().path("outputs");
                            if (outputs.isEmpty()) {
                                v.add(origin + ": profile " + profile.getKey() + " has no outputs");
                            }
                            outputs.fields()
                                    .forEachRemaining(
                                            out -> {
                                                for (String key : CONNECTION_KEYS) {
                                                    String value =
                                                            out.getValue().path(key).asText();
                                                    String where =
                                                            origin
                                                                    + ": "
                                                                    + profile.getKey()
                                                                    + "."
                                                                    + out.getKey()
                                                                    + "."
                                                                    + key;
                                                    if (!value.contains("env_var(")) {
                                                        v.add(
                                                                where
                                                                        + " must be read with env_var(...)");
                                                    } else if ((key.equals("user")
                                                                    || key.equals("password"))
                                                            && !value.matches(
                                                                    "\\{\\{\\s*env_var\\('[A-Z_]+'\\)\\s*}}")) {
                                                        v.add(where + ": no default for the login");
                                                    }
                                                }
                                            });
                        });
    }

    /** The source of the COPY (not --from) to {@code destination} in a stage, or null. */
    private static String copySource(Dockerfile.Stage stage, String destination) {
        for (Dockerfile.Instruction copy : stage.all("COPY")) {
            String[] words = copy.args().split("\\s+");
            if (!copy.args().contains("--from=")
                    && words.length == 2
                    && words[1].replaceAll("/$", "").equals(destination)) {
                return words[0];
            }
        }
        return null;
    }

    /** ENV key=value pairs of a stage (the key=value form only). */
    private static Map<String, String> env(Dockerfile.Stage stage) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Dockerfile.Instruction e : stage.all("ENV")) {
            for (String pair : e.args().split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    env.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return env;
    }

    /** Every base image pinned to a version tag or a digest (stage aliases aside). */
    private static void checkBases(Dockerfile file, List<String> v) {
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
    }

    /** A numeric, non-root USER in the runtime stage. */
    private static void checkUser(Dockerfile.Stage runtime, List<String> v) {
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
    }

    /** Every COPY source (but those from other stages) exists in the build context. */
    private static void checkCopySources(Dockerfile file, Path context, List<String> v) {
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
    }
}
