package io.tributary.deploy.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON Schema validation (draft-07, networknt) of the Compose file and of Kubernetes resources.
 *
 * <p>Kubernetes: the fabric8 kubernetes-model jars (core, apps, networking, policy, autoscaling)
 * each carry {@code schema/validation-schema.json}; their definitions are merged and indexed by the
 * {@code apiVersion}/{@code kind} defaults they declare (e.g. {@code kubernetes_apps_Deployment} ↔
 * {@code apps/v1 Deployment}). The fabric8 schemas are written for Java code generation, so they
 * are adjusted before use, and the adjustments are the honest limits of this validation:
 *
 * <ul>
 *   <li><b>strict</b>: every object definition with declared properties gets {@code
 *       additionalProperties: false}, so a misspelt or misplaced field fails (fabric8 allows any);
 *   <li>{@code Quantity} and {@code IntOrString} become "string or number" (fabric8 models them as
 *       Java objects), so {@code 500m} and {@code port: http} are accepted, but their formats are
 *       not checked;
 *   <li>draft-03 style {@code "required": true} on a property becomes a draft-07 {@code required}
 *       list; fabric8 marks few fields required, so missing fields are mostly the policy's job;
 *   <li>enums (e.g. {@code imagePullPolicy}) are plain strings in these schemas and not checked.
 * </ul>
 *
 * <p>Custom resources (ServiceMonitor, ExternalSecret, KafkaTopic) are not in fabric8's schemas:
 * they are validated against small hand-written schemas in {@code src/test/resources/crd-schemas},
 * subsets of the fields their CRDs document (structure, required fields, types), not the CRDs.
 */
final class Schemas {
    private static final String DRAFT7 = "http://json-schema.org/draft-07/schema#";

    private static final Set<String> JAVA_KEYWORDS =
            Set.of(
                    "existingJavaType",
                    "javaType",
                    "javaInterfaces",
                    "javaOmitEmpty",
                    "javaName",
                    "serializer",
                    "deserializer",
                    "interfaceImpls",
                    "javaEnumNames",
                    "$module",
                    "resources",
                    "id");

    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);

    private static volatile Kubernetes kubernetes;

    private Schemas() {}

    static List<String> validate(Schema schema, JsonNode instance) {
        List<Error> errors = schema.validate(instance);
        return errors.stream().map(Error::toString).toList();
    }

    static Schema load(Path file) {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            // Located at the file, so that a relative $id (compose_spec.json) resolves.
            Schema schema =
                    REGISTRY.getSchema(
                            SchemaLocation.of(file.toAbsolutePath().toUri().toString()),
                            Repo.JSON.readTree(in));
            schema.initializeValidators();
            return schema;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Schema loadTree(JsonNode tree) {
        Schema schema = REGISTRY.getSchema(tree);
        schema.initializeValidators();
        return schema;
    }

    static Kubernetes kubernetes() {
        if (kubernetes == null) {
            synchronized (Schemas.class) {
                if (kubernetes == null) {
                    kubernetes = new Kubernetes();
                }
            }
        }
        return kubernetes;
    }

    /** Kubernetes built-in kinds (fabric8) and the custom resources we use (subsets). */
    static final class Kubernetes {
        private final ObjectNode definitions = Repo.JSON.createObjectNode();
        private final Map<String, String> definitionByType = new LinkedHashMap<>();
        private final Map<String, Schema> cache = new ConcurrentHashMap<>();
        private final List<String> sources = new ArrayList<>();

        private Kubernetes() {
            try {
                for (URL url :
                        Collections.list(
                                Schemas.class
                                        .getClassLoader()
                                        .getResources("schema/validation-schema.json"))) {
                    JsonNode schema;
                    try (InputStream in = url.openStream()) {
                        schema = Repo.JSON.readTree(in);
                    }
                    sources.add(url.toString());
                    schema.get("definitions")
                            .fields()
                            .forEachRemaining(e -> definitions.set(e.getKey(), e.getValue()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (definitions.isEmpty()) {
                throw new IllegalStateException(
                        "no schema/validation-schema.json on the test classpath (fabric8 jars)");
            }
            Iterator<Map.Entry<String, JsonNode>> it = definitions.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                if (name.endsWith("_Quantity")) {
                    e.setValue(typeOnly("string", "number"));
                } else if (name.endsWith("_IntOrString")) {
                    e.setValue(typeOnly("string", "integer"));
                } else {
                    adjust(e.getValue(), true);
                }
            }
            definitions
                    .fields()
                    .forEachRemaining(
                            e -> {
                                JsonNode props = e.getValue().path("properties");
                                String apiVersion =
                                        props.path("apiVersion").path("default").asText();
                                String kind = props.path("kind").path("default").asText();
                                if (!apiVersion.isEmpty()
                                        && !kind.isEmpty()
                                        && !e.getKey().endsWith("List")) {
                                    definitionByType.putIfAbsent(
                                            apiVersion + " " + kind, e.getKey());
                                }
                            });
        }

        private static ObjectNode typeOnly(String... types) {
            ObjectNode n = Repo.JSON.createObjectNode();
            ArrayNode t = n.putArray("type");
            for (String type : types) {
                t.add(type);
            }
            return n;
        }

        /** Strips Java generator keywords, converts required flags, makes objects strict. */
        private static void adjust(JsonNode node, boolean schemaPosition) {
            if (!(node instanceof ObjectNode schema) || !schemaPosition) {
                return;
            }
            JAVA_KEYWORDS.forEach(schema::remove);
            JsonNode properties = schema.get("properties");
            if (properties instanceof ObjectNode props) {
                ArrayNode required = Repo.JSON.createArrayNode();
                props.fields()
                        .forEachRemaining(
                                p -> {
                                    JsonNode req = p.getValue().get("required");
                                    if (req != null && req.isBoolean()) {
                                        ((ObjectNode) p.getValue()).remove("required");
                                        if (req.asBoolean()) {
                                            required.add(p.getKey());
                                        }
                                    }
                                    adjust(p.getValue(), true);
                                });
                if (!required.isEmpty()) {
                    schema.set("required", required);
                }
                JsonNode additional = schema.get("additionalProperties");
                if (additional == null || (additional.isBoolean() && additional.asBoolean())) {
                    schema.put("additionalProperties", false);
                }
            }
            for (String key : List.of("items", "additionalProperties", "not")) {
                if (schema.get(key) instanceof ObjectNode) {
                    adjust(schema.get(key), true);
                }
            }
            for (String key : List.of("allOf", "anyOf", "oneOf")) {
                if (schema.get(key) instanceof ArrayNode list) {
                    list.forEach(s -> adjust(s, true));
                }
            }
        }

        List<String> sources() {
            return sources;
        }

        boolean knows(String apiVersion, String kind) {
            return definitionByType.containsKey(apiVersion + " " + kind)
                    || crdSchema(apiVersion, kind).isPresent();
        }

        /**
         * Errors of one resource; a kind that neither fabric8 nor our CRD subsets know is an error
         * too (nothing goes unvalidated).
         */
        List<String> validate(JsonNode resource) {
            String apiVersion = Repo.text(resource, "/apiVersion");
            String kind = Repo.text(resource, "/kind");
            String key = apiVersion + " " + kind;
            Schema schema = cache.computeIfAbsent(key, k -> build(apiVersion, kind));
            if (schema == null) {
                cache.remove(key);
                return List.of("no schema knows " + key + " (apiVersion/kind misspelt?)");
            }
            return Schemas.validate(schema, resource);
        }

        private Schema build(String apiVersion, String kind) {
            String definition = definitionByType.get(apiVersion + " " + kind);
            if (definition != null) {
                ObjectNode root = Repo.JSON.createObjectNode();
                root.put("$schema", DRAFT7);
                root.set("definitions", definitions);
                root.putArray("allOf").addObject().put("$ref", "#/definitions/" + definition);
                return loadTree(root);
            }
            return crdSchema(apiVersion, kind).orElse(null);
        }

        private static Optional<Schema> crdSchema(String apiVersion, String kind) {
            String resource = "crd-schemas/" + apiVersion.replace('/', '_') + "_" + kind + ".json";
            try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    return Optional.empty();
                }
                return Optional.of(loadTree(Repo.JSON.readTree(in)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
