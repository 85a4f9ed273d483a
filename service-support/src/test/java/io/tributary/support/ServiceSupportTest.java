package io.tributary.support;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ServiceSupportTest {
    static final String READ = "Bearer read-token-0123456789abcdef";
    static final String WRITE = "Bearer write-token-0123456789abcdef";

    @Test
    void noTokenIs401Problem() {
        given().get("/api/samples/a")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"))
                .body("type", equalTo("https://tributary.io/problems/unauthorized"))
                .body("detail", equalTo("a bearer token is required"));
    }

    @Test
    void unknownTokenIs401AndIsNotEchoed() {
        given().header("Authorization", "Bearer nope-this-is-not-a-token")
                .get("/api/samples/a")
                .then()
                .statusCode(401)
                .body(not(containsString("nope-this-is-not-a-token")));
        given().header("Authorization", "Basic cmVhZDp4")
                .get("/api/samples/a")
                .then()
                .statusCode(401);
        // A prefix of a valid token is not valid.
        given().header("Authorization", "Bearer read-token-0123456789abcde")
                .get("/api/samples/a")
                .then()
                .statusCode(401);
    }

    @Test
    void unknownApiPathNeedsATokenToo() {
        given().get("/api/nothing-here").then().statusCode(401);
    }

    @Test
    void readTokenReadsAndIsIdentified() {
        given().header("Authorization", READ)
                .get("/api/samples/a")
                .then()
                .statusCode(200)
                .body("caller", equalTo("reader"))
                .body("at", equalTo("2024-05-01T10:00:00Z"))
                .body("every", equalTo("PT6H"));
    }

    @Test
    void readTokenCannotWrite() {
        given().header("Authorization", READ)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"size\":1}")
                .post("/api/samples")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("title", equalTo("Forbidden"));
    }

    @Test
    void writeTokenWrites() {
        given().header("Authorization", WRITE)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"size\":2,\"every\":\"PT1M\"}")
                .post("/api/samples")
                .then()
                .statusCode(200)
                .body("size", equalTo(2))
                .body("every", equalTo("PT1M"));
    }

    @Test
    void malformedJsonIs400Problem() {
        given().header("Authorization", WRITE)
                .contentType(ContentType.JSON)
                .body("{\"name\":")
                .post("/api/samples")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", not(equalTo(null)));
    }

    @Test
    void illTypedJsonIs400ProblemNamingTheField() {
        given().header("Authorization", WRITE)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"size\":\"big\"}")
                .post("/api/samples")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("size"));
    }

    @Test
    void validationErrorsAre400ProblemNamingTheField() {
        given().header("Authorization", WRITE)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"\",\"size\":0}")
                .post("/api/samples")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Validation Failed"))
                .body("detail", containsString("name"))
                .body("detail", containsString("size"));
    }

    @Test
    void apiExceptionAndJaxRsErrorsAreProblems() {
        given().header("Authorization", READ)
                .get("/api/samples/missing")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("no sample missing"));
        given().header("Authorization", WRITE)
                .contentType(ContentType.TEXT)
                .body("x")
                .post("/api/samples")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        given().header("Authorization", WRITE)
                .delete("/api/samples/a")
                .then()
                .statusCode(405)
                .contentType("application/problem+json");
    }

    @Test
    void unexpectedFailureIs500WithoutInternals() {
        given().header("Authorization", READ)
                .get("/api/samples/boom")
                .then()
                .statusCode(500)
                .contentType("application/problem+json")
                .body(not(containsString("internal detail")));
    }

    @Test
    void pathsOutsideApiAreNotGuarded() {
        given().get("/apix").then().statusCode(404);
    }
}
