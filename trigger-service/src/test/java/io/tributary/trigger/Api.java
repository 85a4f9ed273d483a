package io.tributary.trigger;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncRequested;
import io.tributary.events.Topics;
import io.tributary.local.Infrastructure;
import io.tributary.local.TopicReader;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Test helpers: API calls with the test tokens, and what is on the requests topic. */
final class Api {
    static final String WRITE = "Bearer test-write-token-0123456789";
    static final String READ = "Bearer test-read-token-0123456789";

    private Api() {}

    static RequestSpecification admin() {
        return given().header("Authorization", WRITE).contentType(ContentType.JSON);
    }

    static RequestSpecification viewer() {
        return given().header("Authorization", READ).contentType(ContentType.JSON);
    }

    static String connection() {
        return UUID.randomUUID().toString();
    }

    /** Waits for {@code count} sync requests keyed by the connection and returns them. */
    static List<ReceivedEvent> requests(Infrastructure infra, String connectionId, int count) {
        try (TopicReader reader =
                new TopicReader(infra.kafkaBootstrapServers(), Topics.SYNC_REQUESTS)) {
            return events(
                    reader.await(r -> connectionId.equals(r.key()), count, Duration.ofSeconds(30)));
        }
    }

    /**
     * Waits for {@code expected} sync requests of these connections, then keeps reading for a
     * second more (with the same consumer) so that one too many would be seen too.
     */
    static List<ReceivedEvent> exactly(
            Infrastructure infra, Collection<String> connectionIds, int expected) {
        try (TopicReader reader =
                new TopicReader(infra.kafkaBootstrapServers(), Topics.SYNC_REQUESTS)) {
            reader.await(r -> connectionIds.contains(r.key()), expected, Duration.ofSeconds(30));
            return events(
                    reader.drain(r -> connectionIds.contains(r.key()), Duration.ofSeconds(1)));
        }
    }

    /** Every sync request for these connections that arrives within the window. */
    static List<ReceivedEvent> requestsWithin(
            Infrastructure infra, Collection<String> connectionIds, Duration window) {
        try (TopicReader reader =
                new TopicReader(infra.kafkaBootstrapServers(), Topics.SYNC_REQUESTS)) {
            return events(reader.drain(r -> connectionIds.contains(r.key()), window));
        }
    }

    static List<ReceivedEvent> events(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream()
                .map(r -> CloudEventKafka.read(r).toOptional().orElseThrow())
                .peek(
                        e -> {
                            if (!e.is(EventType.SYNC_REQUESTED) || !e.validate().isEmpty()) {
                                throw new AssertionError("not a valid sync.requested: " + e);
                            }
                        })
                .toList();
    }

    static SyncRequested data(ReceivedEvent event) {
        return event.data(SyncRequested.class);
    }
}
