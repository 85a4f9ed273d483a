package io.tributary.trigger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.EventContract;
import io.tributary.events.EventType;
import io.tributary.local.TributaryTestResource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The AsyncAPI document and the event schemas are served, and every $ref in it resolves. */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "trigger-service"),
        scope = TestResourceScope.GLOBAL)
class ContractTest {

    @Test
    void theAsyncApiDocumentAndEverySchemaItReferencesAreServedWithoutAToken() throws Exception {
        String yaml =
                given().get("/asyncapi.yaml")
                        .then()
                        .statusCode(200)
                        .contentType(containsString("yaml"))
                        .extract()
                        .asString();
        assertThat(yaml).isEqualTo(EventContract.asyncApiYaml());
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        assertThat(doc.path("asyncapi").asText()).startsWith("3.");
        List<String> files = new ArrayList<>();
        doc.findValues("$ref").stream()
                .map(JsonNode::asText)
                .filter(r -> !r.startsWith("#"))
                .forEach(files::add);
        assertThat(files).isNotEmpty();
        for (String ref : files) {
            // Relative to /asyncapi.yaml, as a client resolving the document would.
            String path = "/" + ref.replaceFirst("^\\./", "").replaceFirst("#.*$", "");
            given().get(path).then().statusCode(200).body("$schema", containsString("json-schema"));
        }
        for (EventType type : EventType.values()) {
            given().get(type.dataSchema().getPath())
                    .then()
                    .statusCode(200)
                    .body("$id", equalTo(type.dataSchema().toString()));
        }
        given().get("/schemas/events/nope.json").then().statusCode(404);
    }
}
