package io.tributary.notifier.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;

/** REST calls with the test tokens. */
public final class Api {
    public static final String WRITE = "notifier-write-token-0123456789";
    public static final String READ = "notifier-read-token-0123456789";

    private Api() {}

    public static RequestSpecification admin() {
        return given().auth().oauth2(WRITE).contentType(ContentType.JSON);
    }

    public static RequestSpecification reader() {
        return given().auth().oauth2(READ).contentType(ContentType.JSON);
    }

    /** Creates a subscription and returns its id. */
    public static String subscribe(
            String name,
            List<String> types,
            Map<String, Object> filters,
            String channel,
            Map<String, Object> settings) {
        return create(
                        Map.of(
                                "name",
                                name,
                                "eventTypes",
                                types,
                                "filters",
                                filters,
                                "channel",
                                channel,
                                "settings",
                                settings))
                .statusCode(201)
                .extract()
                .path("id");
    }

    public static ValidatableResponse create(Map<String, Object> body) {
        return admin().body(body).post("/api/subscriptions").then();
    }

    public static Map<String, Object> delivery(String id) {
        return admin().get("/api/deliveries/" + id).then().statusCode(200).extract().as(Map.class);
    }

    /** Waits until the subscription's (newest) delivery is no longer pending and returns it. */
    public static Map<String, Object> finished(String subscriptionId) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .until(
                        () ->
                                deliveries(subscriptionId).stream()
                                        .anyMatch(d -> !"pending".equals(d.get("status"))));
        return deliveries(subscriptionId).get(0);
    }

    public static List<Map<String, Object>> deliveries(String subscriptionId) {
        return admin().queryParam("subscriptionId", subscriptionId)
                .get("/api/deliveries")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
    }
}
