package io.tributary.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The AsyncAPI document says the same as the code. */
class AsyncApiTest {

    private static final String FOLDER = "io/tributary/events/";
    private static JsonNode doc;

    @BeforeAll
    static void parse() throws Exception {
        doc = new ObjectMapper(new YAMLFactory()).readTree(EventContract.asyncApiYaml());
    }

    @Test
    void isAsyncApi3WithAKafkaServer() {
        assertEquals("3.0.0", doc.path("asyncapi").asText());
        assertFalse(doc.path("info").path("title").asText().isBlank());
        JsonNode server = doc.path("servers").path("local");
        assertEquals("kafka", server.path("protocol").asText());
        assertEquals("localhost:9092", server.path("host").asText());
    }

    @Test
    void hasOneChannelPerTopicCarryingExactlyItsTypes() {
        Map<String, Set<String>> typesByAddress = new HashMap<>();
        doc.path("channels")
                .forEach(
                        channel -> {
                            Set<String> names = new TreeSet<>();
                            channel.path("messages")
                                    .forEach(ref -> names.add(resolve(ref).path("name").asText()));
                            typesByAddress.put(channel.path("address").asText(), names);
                        });

        assertEquals(new HashSet<>(Topics.ALL), typesByAddress.keySet());
        for (String topic : Topics.ALL) {
            Set<String> expected = new TreeSet<>();
            EventType.onTopic(topic).forEach(t -> expected.add(t.type()));
            assertEquals(expected, typesByAddress.get(topic), topic);
        }
    }

    @Test
    void everyMessageDocumentsItsHeadersKeyAndSchema() {
        for (EventType type : EventType.values()) {
            JsonNode message = message(type);
            assertEquals("./schemas/" + type.schemaName() + ".json", ref(message.path("payload")));
            String headers = message.path("headers").toString();
            assertTrue(headers.contains(type.type()), type + " ce_type const");
            assertTrue(headers.contains(type.dataSchema().toString()), type + " ce_dataschema");
            assertFalse(message.path("bindings").path("kafka").path("key").isMissingNode());
        }
        JsonNode ceHeaders = doc.at("/components/schemas/cloudEventHeaders/properties");
        for (String header :
                List.of(
                        CloudEventKafka.CE_SPECVERSION,
                        CloudEventKafka.CE_ID,
                        CloudEventKafka.CE_SOURCE,
                        CloudEventKafka.CE_TYPE,
                        CloudEventKafka.CE_TIME,
                        CloudEventKafka.CE_SUBJECT,
                        CloudEventKafka.CE_DATASCHEMA,
                        CloudEventKafka.CONTENT_TYPE,
                        CloudEventKafka.TRACEPARENT)) {
            assertTrue(ceHeaders.has(header), header);
        }
    }

    @Test
    void referencesEverySchemaFileAndEveryReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        Set<String> files = new TreeSet<>();
        for (String ref : refs) {
            if (ref.startsWith("#/")) {
                assertFalse(doc.at(ref.substring(1)).isMissingNode(), "dangling " + ref);
            } else {
                assertTrue(ref.startsWith("./"), "relative file reference " + ref);
                String resource = FOLDER + ref.substring(2);
                assertNotNull(getClass().getClassLoader().getResource(resource), resource);
                files.add(resource);
            }
        }
        Set<String> expected = new TreeSet<>();
        for (EventType type : EventType.values()) {
            expected.add(type.schemaResource());
        }
        assertEquals(expected, files);
    }

    @Test
    void everyServiceOperationIsDocumented() {
        Set<String> seen = new TreeSet<>();
        doc.path("operations")
                .forEach(
                        op -> {
                            String address = resolve(op.path("channel")).path("address").asText();
                            seen.add(op.path("action").asText() + " " + address);
                            assertTrue(op.path("messages").size() > 0);
                            op.path("messages").forEach(m -> assertNotNull(resolve(m)));
                        });
        for (String topic : Topics.ALL) {
            assertTrue(seen.contains("send " + topic), "a producer of " + topic);
        }
        assertTrue(seen.contains("receive " + Topics.SYNC_REQUESTS));
        assertTrue(seen.contains("receive " + Topics.SYNC_EVENTS));
        assertTrue(seen.contains("receive " + Topics.TRANSFORM_EVENTS));
    }

    private static JsonNode message(EventType type) {
        for (JsonNode message : doc.path("components").path("messages")) {
            if (type.type().equals(message.path("name").asText())) {
                return message;
            }
        }
        throw new AssertionError("no message for " + type);
    }

    private static String ref(JsonNode node) {
        return node.path("$ref").asText();
    }

    /** Follows local $refs (possibly chained) to the node they name. */
    private static JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            String ref = ref(node);
            assertTrue(ref.startsWith("#/"), ref);
            node = doc.at(ref.substring(1));
            assertFalse(node.isMissingNode(), "dangling " + ref);
        }
        return node;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.has("$ref")) {
            refs.add(ref(node));
        }
        node.forEach(child -> collectRefs(child, refs));
    }
}
