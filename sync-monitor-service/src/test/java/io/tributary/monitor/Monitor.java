package io.tributary.monitor;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import io.tributary.events.JobType;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncRequested;
import io.tributary.events.SyncStarted;
import io.tributary.events.Topics;
import io.tributary.events.Trigger;
import io.tributary.events.TriggerKind;
import io.tributary.local.TopicReader;
import io.tributary.sandbox.AirbyteSandbox;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the monitor's tests do from the outside: send requests, read events, call the API. */
final class Monitor implements AutoCloseable {
    static final String WRITE_TOKEN = "tests-write-token-0123456789";
    static final String READ_TOKEN = "tests-read-token-0123456789";
    static final String NOTIFICATION_SECRET = "test-notification-secret";
    static final Duration WAIT = Duration.ofSeconds(60);

    private final String bootstrap;
    private final KafkaProducer<String, byte[]> producer;
    private final TopicReader events;

    Monitor(String bootstrap) {
        this(bootstrap, true);
    }

    /** {@code hookToApp}: point the sandbox's webhook at the app under test. */
    Monitor(String bootstrap, boolean hookToApp) {
        this.bootstrap = bootstrap;
        producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new ByteArraySerializer());
        events = new TopicReader(bootstrap, Topics.SYNC_EVENTS);
        if (!hookToApp) {
            return;
        }
        // Airbyte's webhook, pointed at this app (its port is known once it runs).
        sandbox()
                .setWebhookUrl(
                        "http://127.0.0.1:"
                                + io.restassured.RestAssured.port
                                + "/airbyte/notifications/"
                                + NOTIFICATION_SECRET);
    }

    static AirbyteSandbox sandbox() {
        return AirbyteSandboxResource.sandbox();
    }

    static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + WRITE_TOKEN);
    }

    SyncRequested request(UUID connectionId) {
        return request(connectionId, Instant.now());
    }

    SyncRequested request(UUID connectionId, Instant requestedAt) {
        SyncRequested request =
                new SyncRequested(
                        UUID.randomUUID().toString(),
                        connectionId.toString(),
                        JobType.SYNC,
                        requestedAt.truncatedTo(ChronoUnit.MILLIS),
                        new Trigger(TriggerKind.MANUAL, "tests", null),
                        "corr-" + UUID.randomUUID());
        send(request);
        return request;
    }

    void send(SyncRequested request) {
        ProducerRecord<String, byte[]> record =
                CloudEventKafka.record(
                        EventType.SYNC_REQUESTED,
                        request.requestId(),
                        request.connectionId(),
                        request,
                        "/tests");
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for {@code count} events of the connection (in order) and answers them. */
    List<ReceivedEvent> events(UUID connectionId, int count) {
        return events(connectionId, count, WAIT);
    }

    List<ReceivedEvent> events(UUID connectionId, int count, Duration wait) {
        return events.await(r -> connectionId.toString().equals(r.key()), count, wait).stream()
                .map(Monitor::read)
                .toList();
    }

    /** Everything published for the connection within {@code window}. */
    List<ReceivedEvent> drain(UUID connectionId, Duration window) {
        return events.drain(r -> connectionId.toString().equals(r.key()), window).stream()
                .map(Monitor::read)
                .toList();
    }

    List<ConsumerRecord<String, byte[]>> records(UUID connectionId, int count) {
        return events.await(r -> connectionId.toString().equals(r.key()), count, WAIT);
    }

    static ReceivedEvent read(ConsumerRecord<String, byte[]> record) {
        return CloudEventKafka.readValidated(record)
                .toOptional()
                .orElseThrow(() -> new AssertionError("invalid event on the wire"));
    }

    static List<SyncFinished> endings(List<ReceivedEvent> events) {
        return events.stream()
                .filter(e -> e.eventType().map(EventType::isTerminal).orElse(false))
                .map(e -> e.data(SyncFinished.class))
                .toList();
    }

    static List<SyncStarted> starts(List<ReceivedEvent> events) {
        return events.stream()
                .filter(e -> e.is(EventType.SYNC_STARTED))
                .map(e -> e.data(SyncStarted.class))
                .toList();
    }

    String bootstrap() {
        return bootstrap;
    }

    @Override
    public void close() {
        producer.close();
        events.close();
    }
}
