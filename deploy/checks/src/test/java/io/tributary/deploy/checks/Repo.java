package io.tributary.deploy.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The repository under check, and YAML read the way Compose and kubectl read it. */
final class Repo {
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The four services of the contract (docs/ARCHITECTURE.md): each publishes, has a dead-letter
     * topic and serves an API that the console calls.
     */
    static final List<String> CONTRACT_SERVICES =
            List.of(
                    "trigger-service",
                    "sync-monitor-service",
                    "transform-service",
                    "notifier-service");

    /** The web console: reads every topic, produces nothing (no dead-letter topic). */
    static final String CONSOLE = "console-service";

    /** The console's variable naming each service's base URL ({@code http://<service>:<port>}). */
    static final Map<String, String> CONSOLE_URL_VARIABLES =
            Map.of(
                    "trigger-service", "TRIBUTARY_CONSOLE_TRIGGER_URL",
                    "sync-monitor-service", "TRIBUTARY_CONSOLE_MONITOR_URL",
                    "transform-service", "TRIBUTARY_CONSOLE_TRANSFORM_URL",
                    "notifier-service", "TRIBUTARY_CONSOLE_NOTIFIER_URL");

    /** Every service image and workload, checked alike: the four and the console. */
    static final List<String> SERVICES =
            List.of(
                    "trigger-service",
                    "sync-monitor-service",
                    "transform-service",
                    "notifier-service",
                    CONSOLE);

    static final List<String> CONTRACT_TOPICS =
            List.of(
                    "tributary.sync.requests",
                    "tributary.sync.events",
                    "tributary.transform.events",
                    "tributary.notification.events",
                    "tributary.expectation.events",
                    "tributary.trigger-service.dlq",
                    "tributary.sync-monitor-service.dlq",
                    "tributary.transform-service.dlq",
                    "tributary.notifier-service.dlq");

    /** A topic that must not exist: the console has no dead-letter topic. */
    static final String CONSOLE_DLQ = "tributary." + CONSOLE + ".dlq";

    private Repo() {}

    static int port(String service) {
        return switch (service) {
            case "trigger-service" -> 8081;
            case "sync-monitor-service" -> 8082;
            case "transform-service" -> 8083;
            case "notifier-service" -> 8084;
            case CONSOLE -> 8085;
            case "airbyte-sandbox" -> 8000;
            default -> throw new IllegalArgumentException(service);
        };
    }

    /** The repository root: -Dtributary.repo (set by the pom), else the first parent with mvnw. */
    static Path root() {
        String configured = System.getProperty("tributary.repo");
        if (configured != null && Files.isRegularFile(Paths.get(configured, "pom.xml"))) {
            return Paths.get(configured).toAbsolutePath().normalize();
        }
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("mvnw"))
                    && Files.isDirectory(dir.resolve("deploy"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the repository root from " + Paths.get(""));
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The Compose Specification's JSON Schema vendored in this module ({@code
     * src/test/resources/compose-spec}, with its source and licence); fails when it is missing.
     */
    static Path composeSchema() {
        Path p = composeSchemaLocation();
        if (!Files.isRegularFile(p)) {
            throw new AssertionError(
                    "The Compose Specification JSON Schema is missing at "
                            + p
                            + ": it is vendored in deploy/checks/src/test/resources/compose-spec"
                            + " (see the README there for its source)");
        }
        return p;
    }

    /** Where the Compose schema is (-Dtributary.compose.schema, set by the pom). */
    static Path composeSchemaLocation() {
        String configured = System.getProperty("tributary.compose.schema");
        Path p =
                configured != null
                        ? Paths.get(configured)
                        : root().resolve(
                                        "deploy/checks/src/test/resources/compose-spec/compose-spec.json");
        return p.toAbsolutePath().normalize();
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    /** One YAML document (anchors and merge keys resolved) as a JSON tree. */
    static JsonNode yaml(String text) {
        Object doc = yaml().load(text);
        return JSON.valueToTree(doc);
    }

    /** Every non-empty document of a multi-document YAML file, as JSON objects. */
    static List<ObjectNode> yamlDocuments(String text, String origin) {
        List<ObjectNode> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(text)) {
            if (doc == null) {
                continue;
            }
            JsonNode node = JSON.valueToTree(doc);
            if (!(node instanceof ObjectNode object)) {
                throw new IllegalStateException(origin + ": a document is not a mapping: " + node);
            }
            docs.add(object);
        }
        return docs;
    }

    /** The text at a JSON pointer, or "" when it is missing. */
    static String text(JsonNode node, String pointer) {
        JsonNode n = node.at(pointer);
        return n.isMissingNode() || n.isNull() ? "" : n.asText();
    }
}
