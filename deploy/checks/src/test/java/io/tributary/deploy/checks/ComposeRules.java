package io.tributary.deploy.checks;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rules docker-compose.yml must follow beyond the Compose schema; one line per broken rule. */
final class ComposeRules {
    /**
     * {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME:?error}} ... ({@code $$} escapes).
     */
    static final Pattern VARIABLE =
            Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?}");

    private static final Pattern REQUIRED_SECRET =
            Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*):?\\?[^}]+}");
    static final List<String> LONG_RUNNING =
            List.of(
                    "kafka",
                    "postgres",
                    "trigger-service",
                    "sync-monitor-service",
                    "transform-service",
                    "notifier-service",
                    Repo.CONSOLE,
                    "airbyte-sandbox");

    private ComposeRules() {}

    static Set<String> variables(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static List<String> check(JsonNode compose, String text, Path root) {
        List<String> v = new ArrayList<>();
        JsonNode services = compose.path("services");
        for (String name : LONG_RUNNING) {
            if (!services.has(name)) {
                v.add("service " + name + " is missing");
            }
        }
        if (!services.has("kafka-init")) {
            v.add("service kafka-init is missing (topics are created explicitly)");
        }
        for (String name : LONG_RUNNING) {
            JsonNode test = services.path(name).path("healthcheck").path("test");
            if (services.has(name)
                    && (test.isMissingNode()
                            || test.isEmpty()
                            || services.path(name)
                                    .path("healthcheck")
                                    .path("disable")
                                    .asBoolean(false)
                            || test.path(0).asText().equals("NONE"))) {
                v.add(name + ": needs a healthcheck");
            }
        }
        services.fields()
                .forEachRemaining(
                        e -> {
                            String name = e.getKey();
                            JsonNode s = e.getValue();
                            if (!s.has("build")) {
                                String image = s.path("image").asText();
                                String tag = KubernetesPolicy.imageTag(image);
                                if (!image.contains("@sha256:")
                                        && (tag.isEmpty()
                                                || tag.equals("latest")
                                                || !tag.matches(".*[0-9].*"))) {
                                    v.add(
                                            name
                                                    + ": image "
                                                    + image
                                                    + " is not pinned to a version");
                                }
                            }
                            s.path("environment")
                                    .fields()
                                    .forEachRemaining(
                                            env -> {
                                                String key = env.getKey();
                                                String value = env.getValue().asText();
                                                if (KubernetesPolicy.SECRET_KEY
                                                                .matcher(key)
                                                                .matches()
                                                        && !REQUIRED_SECRET
                                                                .matcher(value)
                                                                .matches()) {
                                                    v.add(
                                                            name
                                                                    + ": "
                                                                    + key
                                                                    + " must be ${VAR:?message} (a required variable, no default)");
                                                }
                                            });
                        });
        if (services.path("environment").isArray()) {
            v.add("environment as a list is not checked: use a mapping");
        }
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            String var = m.group(1);
            String op = m.group(2);
            if (KubernetesPolicy.SECRET_KEY.matcher(var).matches()
                    && (op == null || !op.endsWith("?"))) {
                v.add(
                        "${"
                                + var
                                + "}: a secret must be required (${"
                                + var
                                + ":?...}), never defaulted");
            }
        }
        for (String service : Repo.SERVICES) {
            JsonNode s = services.path(service);
            if (s.isMissingNode()) {
                continue;
            }
            String dockerfile = s.path("build").path("dockerfile").asText();
            if (dockerfile.isEmpty() || !Files.isRegularFile(root.resolve(dockerfile))) {
                v.add(
                        service
                                + ": build.dockerfile must name an existing Dockerfile (--build from source)");
            }
            if (!".".equals(s.path("build").path("context").asText())) {
                v.add(service + ": build.context must be the repository root (.)");
            }
            for (String[] dep :
                    new String[][] {
                        {"kafka", "service_healthy"},
                        {"postgres", "service_healthy"},
                        {"kafka-init", "service_completed_successfully"}
                    }) {
                if (!dep[1].equals(s.path("depends_on").path(dep[0]).path("condition").asText())) {
                    v.add(service + ": depends_on " + dep[0] + " needs condition: " + dep[1]);
                }
            }
            if (!s.path("healthcheck")
                    .path("test")
                    .toString()
                    .contains(":" + Repo.port(service) + "/q/health/ready")) {
                v.add(
                        service
                                + ": healthcheck must probe /q/health/ready on "
                                + Repo.port(service));
            }
            if (s.has("profiles")) {
                v.add(service + ": must run without a profile");
            }
            if (!s.path("ports")
                    .toString()
                    .contains(":" + Repo.port(service) + ":" + Repo.port(service))) {
                v.add(service + ": must publish its contract port " + Repo.port(service));
            }
        }
        JsonNode kafka = services.path("kafka").path("environment");
        if (!"false".equals(kafka.path("KAFKA_AUTO_CREATE_TOPICS_ENABLE").asText())) {
            v.add("kafka: KAFKA_AUTO_CREATE_TOPICS_ENABLE must be \"false\"");
        }
        if (!kafka.path("KAFKA_PROCESS_ROLES").asText().contains("controller")
                || !services.path("kafka").path("image").asText().startsWith("apache/kafka:")) {
            v.add(
                    "kafka: the official apache/kafka image in KRaft mode (KAFKA_PROCESS_ROLES with controller)");
        }
        String init = services.path("kafka-init").toString();
        for (String topic : Repo.CONTRACT_TOPICS) {
            if (!init.contains(topic)) {
                v.add("kafka-init does not create " + topic);
            }
        }
        if (init.contains(Repo.CONSOLE_DLQ)) {
            v.add("kafka-init creates " + Repo.CONSOLE_DLQ + ": the console produces nothing");
        }
        if (!init.contains("--if-not-exists") || !init.contains("kafka-topics.sh")) {
            v.add("kafka-init must run kafka-topics.sh --create --if-not-exists");
        }
        JsonNode postgres = services.path("postgres");
        if (!postgres.path("image").asText().matches("postgres:16(\\.[0-9]+)?(-.*)?")) {
            v.add("postgres: PostgreSQL 16 (postgres:16.x)");
        }
        if (!postgres.path("volumes")
                .toString()
                .contains("./deploy/compose/postgres-init:/docker-entrypoint-initdb.d")) {
            v.add("postgres: mount ./deploy/compose/postgres-init at /docker-entrypoint-initdb.d");
        }
        Path script = root.resolve("deploy/compose/postgres-init/10-tributary-databases.sh");
        String sql = Files.isRegularFile(script) ? Repo.read(script) : "";
        for (String service : Repo.SERVICES) {
            String db = service.replace('-', '_');
            if (!sql.matches("(?s).*\\ncreate " + db + " +" + db + " .*")) {
                v.add("postgres-init does not create database and login " + db);
            }
        }
        if (!sql.contains("NOSUPERUSER NOCREATEDB NOCREATEROLE") || !sql.contains("FROM PUBLIC")) {
            v.add("postgres-init: logins must be least-privilege and databases closed to PUBLIC");
        }
        JsonNode sandbox = services.path("airbyte-sandbox");
        if (!sandbox.path("profiles").toString().contains("\"sandbox\"")) {
            v.add("airbyte-sandbox: must run only under the sandbox profile");
        }
        checkConsole(services, v);
        JsonNode monitor = services.path("sync-monitor-service").path("environment");
        for (String[] wire :
                new String[][] {
                    {"TRIBUTARY_MONITOR_AIRBYTE_BASE_URL", "AIRBYTE_BASE_URL"},
                    {"TRIBUTARY_MONITOR_AIRBYTE_CLIENT_ID", "AIRBYTE_CLIENT_ID"},
                    {"TRIBUTARY_MONITOR_AIRBYTE_CLIENT_SECRET", "AIRBYTE_CLIENT_SECRET"}
                }) {
            if (!monitor.path(wire[0]).asText().startsWith("${" + wire[1])) {
                v.add("sync-monitor-service: " + wire[0] + " must come from " + wire[1]);
            }
        }
        String transformVolumes = services.path("transform-service").path("volumes").toString();
        if (!transformVolumes.contains("./deploy/dbt/demo")
                || !transformVolumes.contains(":/opt/tributary/dbt/demo:ro")) {
            v.add("transform-service: mount the dbt project (default ./deploy/dbt/demo) read-only");
        }
        JsonNode transformEnv = services.path("transform-service").path("environment");
        Set<String> passed =
                Set.of(transformEnv.path("TRIBUTARY_TRANSFORM_PASS_ENV").asText().split(","));
        transformEnv
                .fieldNames()
                .forEachRemaining(
                        key -> {
                            if (key.startsWith("WAREHOUSE_") && !passed.contains(key)) {
                                v.add(
                                        "transform-service: "
                                                + key
                                                + " never reaches dbt (add it to TRIBUTARY_TRANSFORM_PASS_ENV)");
                            }
                        });
        return v;
    }

    /**
     * The console calls the four services with its own token, which each of them accepts as a write
     * token (caller {@code console}) and which is not a sign-in token of the console; its port is
     * for this host only (sign-in tokens over plain HTTP).
     */
    private static void checkConsole(JsonNode services, List<String> v) {
        JsonNode console = services.path(Repo.CONSOLE);
        if (console.isMissingNode()) {
            return;
        }
        JsonNode env = console.path("environment");
        String serviceToken = env.path("TRIBUTARY_CONSOLE_SERVICE_TOKEN").asText();
        if (serviceToken.isEmpty()) {
            v.add(Repo.CONSOLE + ": TRIBUTARY_CONSOLE_SERVICE_TOKEN is missing");
        }
        for (String service : Repo.CONTRACT_SERVICES) {
            String variable = Repo.CONSOLE_URL_VARIABLES.get(service);
            String expected = "http://" + service + ":" + Repo.port(service);
            if (!expected.equals(env.path(variable).asText())) {
                v.add(Repo.CONSOLE + ": " + variable + " must be " + expected);
            }
            JsonNode owner = services.path(service).path("environment");
            if (!serviceToken.isEmpty()
                    && !serviceToken.equals(
                            owner.path("TRIBUTARY_API_TOKENS_CONSOLE_TOKEN").asText())) {
                v.add(
                        service
                                + ": TRIBUTARY_API_TOKENS_CONSOLE_TOKEN must be the console's"
                                + " TRIBUTARY_CONSOLE_SERVICE_TOKEN");
            }
            if (!"write".equals(owner.path("TRIBUTARY_API_TOKENS_CONSOLE_SCOPE").asText())) {
                v.add(service + ": TRIBUTARY_API_TOKENS_CONSOLE_SCOPE must be write");
            }
        }
        env.fields()
                .forEachRemaining(
                        e -> {
                            if (e.getKey().matches("TRIBUTARY_API_TOKENS_[A-Z0-9]+_TOKEN")
                                    && e.getValue().asText().equals(serviceToken)) {
                                v.add(
                                        Repo.CONSOLE
                                                + ": its service token must not be a sign-in"
                                                + " token ("
                                                + e.getKey()
                                                + ")");
                            }
                        });
        for (JsonNode port : console.path("ports")) {
            if (!port.asText().startsWith("127.0.0.1:")) {
                v.add(Repo.CONSOLE + ": publish its port on 127.0.0.1 only: " + port.asText());
            }
        }
    }
}
