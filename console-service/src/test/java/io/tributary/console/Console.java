package io.tributary.console;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the console's tests do from outside: publish records, sign in, read pages. */
final class Console {
    static final String READ_TOKEN = "console-read-token-0123456789";
    static final String WRITE_TOKEN = "console-write-token-0123456789";

    /** What the console presents to the owners (application.properties, %test). */
    static final String SERVICE_TOKEN = "console-service-token-0123456789";

    private Console() {}

    static void publish(String bootstrap, List<ProducerRecord<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> r : records) {
                producer.send(r).get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs in with a token and answers the session cookie. */
    static String signIn(String token) {
        Response r =
                given().redirects()
                        .follow(false)
                        .contentType("application/x-www-form-urlencoded")
                        .formParam("token", token)
                        .formParam("next", "/")
                        .post("/signin");
        if (r.statusCode() != 303) {
            throw new AssertionError("sign-in answered " + r.statusCode());
        }
        return r.getCookie("tributary_session");
    }

    static Response page(String session, String path) {
        return given().redirects().follow(false).cookie("tributary_session", session).get(path);
    }
}
