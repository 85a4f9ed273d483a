package io.tributary.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml: validated against the Compose Specification's JSON Schema (vendored in
 * src/test/resources/compose-spec; the test fails when it is missing), then held to ComposeRules.
 * The file is read as written (before interpolation), with anchors and merge keys resolved as
 * Compose resolves them. Nothing is started: no Docker engine here.
 */
class ComposeFileTest {
    private static final Path COMPOSE = Repo.path("docker-compose.yml");

    private static String text() {
        return Repo.read(COMPOSE);
    }

    private static JsonNode compose(String text) {
        return Repo.yaml(text);
    }

    private static Map<String, String> envExample() {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String line : Repo.read(Repo.path(".env.example")).lines().toList()) {
            if (line.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                vars.put(
                        line.substring(0, line.indexOf('=')),
                        line.substring(line.indexOf('=') + 1));
            }
        }
        return vars;
    }

    @Test
    void theComposeFileIsValidAgainstTheComposeSpecification() {
        Schema schema = Schemas.load(Repo.composeSchema());
        assertThat(Schemas.validate(schema, compose(text()))).isEmpty();

        // and the schema does reject what Compose would refuse
        ObjectNode broken = (ObjectNode) compose(text());
        ((ObjectNode) broken.at("/services/trigger-service/depends_on/kafka"))
                .put("condition", "service_ready");
        ((ObjectNode) broken.at("/services/postgres")).put("restart_policy", "always");
        assertThat(Schemas.validate(schema, broken))
                .anyMatch(e -> e.contains("condition"))
                .anyMatch(e -> e.contains("restart_policy"));
    }

    @Test
    void theComposeFileFollowsTheRules() {
        assertThat(ComposeRules.check(compose(text()), text(), Repo.root())).isEmpty();
    }

    @Test
    void everyVariableIsDocumentedInEnvExampleAndTheReadme() {
        var used = ComposeRules.variables(text());
        var documented = envExample().keySet();
        assertThat(documented).as(".env.example").containsAll(used);
        assertThat(used)
                .as("variables of .env.example that compose does not use")
                .containsAll(documented);
        String readme = Repo.read(Repo.path("deploy/README.md"));
        assertThat(used)
                .allSatisfy(v -> assertThat(readme).as("deploy/README.md").contains("`" + v + "`"));
    }

    @Test
    void secretsInEnvExampleArePlaceholdersThatCannotSurvive() {
        envExample()
                .forEach(
                        (name, value) -> {
                            if (KubernetesPolicy.SECRET_KEY.matcher(name).matches()) {
                                assertThat(value).as(name).isEqualTo("change-me");
                            }
                        });
        assertThat(Repo.read(Repo.path("deploy/compose/postgres-init/10-tributary-databases.sh")))
                .contains("change-me*)")
                .contains("exit 1");
    }

    @Test
    void aRealAirbyteIsThreeVariables() {
        JsonNode env = compose(text()).at("/services/sync-monitor-service/environment");
        assertThat(env.path("TRIBUTARY_MONITOR_AIRBYTE_BASE_URL").asText())
                .isEqualTo("${AIRBYTE_BASE_URL:-http://airbyte-sandbox:8000/api/public/v1}");
        assertThat(env.path("TRIBUTARY_MONITOR_AIRBYTE_CLIENT_ID").asText())
                .startsWith("${AIRBYTE_CLIENT_ID:?");
        assertThat(env.path("TRIBUTARY_MONITOR_AIRBYTE_CLIENT_SECRET").asText())
                .startsWith("${AIRBYTE_CLIENT_SECRET:?");
    }

    // --- the checks fail when a rule is broken ----------------------------------------------

    private static List<String> violations(String text) {
        return ComposeRules.check(compose(text), text, Repo.root());
    }

    @Test
    void brokenComposeFilesAreRejected() {
        String good = text();
        assertThat(
                        violations(
                                good.replace(
                                        "${TRIGGER_DB_PASSWORD:?set TRIGGER_DB_PASSWORD in .env}",
                                        "${TRIGGER_DB_PASSWORD:-postgres}")))
                .anyMatch(v -> v.contains("TRIGGER_DB_PASSWORD") && v.contains("never defaulted"))
                .anyMatch(
                        v ->
                                v.contains(
                                        "trigger-service: QUARKUS_DATASOURCE_PASSWORD must be ${VAR:?message}"));
        assertThat(
                        violations(
                                good.replace(
                                        "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}",
                                        "postgres")))
                .anyMatch(v -> v.contains("postgres: POSTGRES_PASSWORD must be"));
        JsonNode noHealth = compose(good);
        ((ObjectNode) noHealth.at("/services/notifier-service")).remove("healthcheck");
        ((ObjectNode) noHealth.at("/services/transform-service/depends_on/postgres"))
                .put("condition", "service_started");
        ((ObjectNode) noHealth.path("services")).remove("kafka-init");
        ((ObjectNode) noHealth.at("/services/kafka/environment"))
                .put("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true");
        ((ObjectNode) noHealth.at("/services/airbyte-sandbox")).remove("profiles");
        ((ObjectNode) noHealth.at("/services/postgres")).put("image", "postgres:latest");
        ((ObjectNode) noHealth.at("/services/transform-service/environment"))
                .put("TRIBUTARY_TRANSFORM_PASS_ENV", "WAREHOUSE_HOST");
        assertThat(ComposeRules.check(noHealth, good, Repo.root()))
                .contains(
                        "notifier-service: needs a healthcheck",
                        "transform-service: depends_on postgres needs condition: service_healthy",
                        "service kafka-init is missing (topics are created explicitly)",
                        "kafka: KAFKA_AUTO_CREATE_TOPICS_ENABLE must be \"false\"",
                        "airbyte-sandbox: must run only under the sandbox profile",
                        "postgres: image postgres:latest is not pinned to a version",
                        "transform-service: WAREHOUSE_PASSWORD never reaches dbt (add it to"
                                + " TRIBUTARY_TRANSFORM_PASS_ENV)");
        String withConsoleDlq =
                good.replace(
                        "tributary.notifier-service.dlq; do",
                        "tributary.notifier-service.dlq tributary.console-service.dlq; do");
        assertThat(violations(withConsoleDlq))
                .contains(
                        "kafka-init creates tributary.console-service.dlq: the console produces"
                                + " nothing");
        ObjectNode missing = (ObjectNode) compose(good);
        ((ObjectNode) missing.path("services")).remove("sync-monitor-service");
        assertThat(ComposeRules.check(missing, good, Repo.root()))
                .contains("service sync-monitor-service is missing");
        ObjectNode noConsole = (ObjectNode) compose(good);
        ((ObjectNode) noConsole.path("services")).remove("console-service");
        assertThat(ComposeRules.check(noConsole, good, Repo.root()))
                .contains("service console-service is missing");
    }

    @Test
    void theConsoleCallsTheFourServicesWithItsOwnTokenFromThisHostOnly() {
        String good = text();
        JsonNode c = compose(good);
        ObjectNode console = (ObjectNode) c.at("/services/console-service/environment");
        assertThat(console.path("TRIBUTARY_CONSOLE_SERVICE_TOKEN").asText())
                .startsWith("${TRIBUTARY_CONSOLE_SERVICE_TOKEN:?");
        assertThat(console.path("QUARKUS_DATASOURCE_USERNAME").asText())
                .isEqualTo("console_service");
        for (String service : Repo.CONTRACT_SERVICES) {
            JsonNode env = c.at("/services/" + service + "/environment");
            assertThat(env.has("TRIBUTARY_API_TOKENS_ADMIN_TOKEN")).as(service).isTrue();
            assertThat(env.path("TRIBUTARY_API_TOKENS_CONSOLE_TOKEN").asText())
                    .as(service)
                    .isEqualTo(console.path("TRIBUTARY_CONSOLE_SERVICE_TOKEN").asText());
        }

        ((ObjectNode) c.at("/services/notifier-service/environment"))
                .remove("TRIBUTARY_API_TOKENS_CONSOLE_TOKEN");
        ((ObjectNode) c.at("/services/transform-service/environment"))
                .put("TRIBUTARY_API_TOKENS_CONSOLE_SCOPE", "read");
        console.put("TRIBUTARY_CONSOLE_MONITOR_URL", "http://localhost:8082");
        console.put(
                "TRIBUTARY_API_TOKENS_SELF_TOKEN",
                console.path("TRIBUTARY_CONSOLE_SERVICE_TOKEN").asText());
        ((com.fasterxml.jackson.databind.node.ArrayNode) c.at("/services/console-service/ports"))
                .removeAll()
                .add("${TRIBUTARY_BIND_ADDRESS:-127.0.0.1}:8085:8085");
        assertThat(ComposeRules.check(c, good, Repo.root()))
                .contains(
                        "notifier-service: TRIBUTARY_API_TOKENS_CONSOLE_TOKEN must be the"
                                + " console's TRIBUTARY_CONSOLE_SERVICE_TOKEN",
                        "transform-service: TRIBUTARY_API_TOKENS_CONSOLE_SCOPE must be write",
                        "console-service: TRIBUTARY_CONSOLE_MONITOR_URL must be"
                                + " http://sync-monitor-service:8082",
                        "console-service: its service token must not be a sign-in token"
                                + " (TRIBUTARY_API_TOKENS_SELF_TOKEN)",
                        "console-service: publish its port on 127.0.0.1 only:"
                                + " ${TRIBUTARY_BIND_ADDRESS:-127.0.0.1}:8085:8085");
    }
}
