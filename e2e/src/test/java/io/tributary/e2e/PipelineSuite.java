package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.Parsed;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.Topics;
import io.tributary.local.StandardWebhooks;
import io.tributary.local.TopicReader;
import io.tributary.sandbox.ConnectionScript;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One pipeline stack for a test class: the four packaged services and the console as separate
 * processes on embedded Kafka and PostgreSQL, the Airbyte sandbox loading a warehouse, the real dbt
 * on the demo project, and a local subscriber, started once before the class's scenarios and
 * stopped after them. Each subclass gets a stack of its own (own ports, work directory, broker,
 * database and logs) and runs in its own surefire fork, so the subclasses run side by side.
 * Everything is set up through the services' real APIs; each scenario has its own connections,
 * hooks, transforms and subscriptions, so the scenarios do not depend on each other (the order only
 * keeps the schema sweep of scenario 7 after everything its stack published).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class PipelineSuite {
    private static final Logger LOG = Logger.getLogger(PipelineSuite.class);
    static final Duration FLOW = Duration.ofSeconds(180);
    static final Duration QUIET = Duration.ofSeconds(4);
    static final SecureRandom RANDOM = new SecureRandom();

    static Pipeline pipeline;
    static Receiver receiver;
    static final Map<String, TopicReader> readers = new HashMap<>();
    static final Map<String, String> secrets = new ConcurrentHashMap<>();

    /** Notes a failed scenario, so that the logs of a failed run stay for the post-mortem. */
    @RegisterExtension
    static final TestWatcher FAILURES =
            new TestWatcher() {
                @Override
                public void testFailed(ExtensionContext context, Throwable cause) {
                    failed = true;
                }
            };

    static volatile boolean failed;

    static long startedAt;
    static Duration startup;

    @BeforeAll
    static void start() {
        startedAt = System.nanoTime();
        receiver = new Receiver();
        pipeline = Pipeline.start(env -> {});
        for (String topic : Topics.ALL) {
            readers.put(topic, new TopicReader(pipeline.kafkaBootstrapServers(), topic));
        }
        startup = Duration.ofNanos(System.nanoTime() - startedAt);
    }

    @AfterAll
    static void stop() {
        // Which class holds the module's wall time back: to balance the forks by.
        if (startup != null) {
            System.out.printf(
                    "stack: ready in %d ms, the class's scenarios done %d ms after its start%n",
                    startup.toMillis(), (System.nanoTime() - startedAt) / 1_000_000);
        }
        readers.values().forEach(TopicReader::close);
        if (pipeline != null) {
            pipeline.close();
            if (failed) {
                LOG.infof("the services' logs are in %s", pipeline.workDir.resolve("logs"));
            } else {
                pipeline.deleteWorkDir();
            }
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    // 7. every record on every topic validates against the contract's JSON Schemas: in every
    //    stack, after its scenarios have published (the fault suite's before its last scenario
    //    stops the services)
    @Test
    @Order(20)
    void everyRecordOnEveryTopicMatchesTheContract() {
        // A promise nothing keeps (a connection that never syncs): an expectation event.
        String promise =
                expect(
                        "s7 never syncs",
                        Map.of("kind", "connection", "id", UUID.randomUUID().toString()),
                        Map.of("freshness", Map.of("every", "PT2S")));
        // A flow of its own, so the sweep has every topic to look at even when run alone.
        UUID conn =
                flow("s7", shop(ConnectionScript.succeedAfter(secs(1), 0)), "run", "stg_customers");
        String sub =
                subscribe(
                        "s7-subscriber",
                        List.of("io.tributary.transform.*"),
                        "data.transformName == 's7_run'",
                        "/s7");
        assertThat(deliver("s7-hook", "s7-delivery-1").status()).isEqualTo(202);
        awaitReceived("/s7", 2);
        // The last records of the flow: the outcomes of both deliveries, and the promise's miss.
        events(Topics.NOTIFICATION_EVENTS, forKey(sub), 2);
        events(Topics.EXPECTATION_EVENTS, forKey(promise), 1);

        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String topic : Topics.ALL) {
            List<ConsumerRecord<String, byte[]>> all =
                    readers.get(topic).drain(rec -> true, Duration.ofSeconds(1));
            counts.put(topic, all.size());
            for (ConsumerRecord<String, byte[]> rec : all) {
                Parsed parsed = CloudEventKafka.readValidated(rec);
                assertThat(parsed)
                        .as("%s offset %d: %s", topic, rec.offset(), parsed)
                        .isInstanceOf(Parsed.Ok.class);
                ReceivedEvent e = ((Parsed.Ok) parsed).event();
                assertThat(e.eventType()).as("known type %s", e.type()).isPresent();
                assertThat(e.eventType().get().topic()).isEqualTo(topic);
                assertThat(e.dataSchema()).isEqualTo(e.eventType().get().dataSchema());
            }
        }
        Logger.getLogger(getClass()).infof("records validated per topic: %s", counts);
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isPositive());
    }

    static Duration secs(long s) {
        return Duration.ofSeconds(s);
    }

    /** A connection that loads the shop's tables into the warehouse, as scripted. */
    static UUID shop(ConnectionScript script) {
        return pipeline.airbyte
                .connection("shop " + UUID.randomUUID())
                .loadsShopData()
                .script(script)
                .add();
    }

    /**
     * A scenario's pipeline: hook {@code <s>-hook} syncing {@code conn}, and transform {@code
     * <s>_<command>} on the demo project downstream of it.
     */
    static UUID flow(String scenario, UUID conn, String command, String select) {
        hook(scenario + "-hook", conn);
        transform(scenario + "_" + command, command, select, List.of(conn.toString()), "any");
        return conn;
    }

    /** A Standard Webhooks hook syncing {@code conn}, with a secret of its own. */
    static void hook(String id, UUID conn) {
        String secret = StandardWebhooks.newSecret();
        secrets.put(id, secret);
        pipeline.api(
                "trigger-service",
                "POST",
                "/api/hooks",
                Http.json(
                        Map.of(
                                "id",
                                id,
                                "scheme",
                                "standard-webhooks",
                                "secrets",
                                List.of(secret),
                                "connectionIds",
                                List.of(conn.toString()))));
    }

    /** What a sender does: sign {@code id.timestamp.body} and POST it. */
    static Http.Answer deliver(String hookId, String deliveryId) {
        return deliver(hookId, deliveryId, null);
    }

    /** The same, from a traced sender: with a W3C {@code traceparent} header unless null. */
    static Http.Answer deliver(String hookId, String deliveryId, String traceparent) {
        String secret = secrets.get(hookId);
        String body = "{\"type\":\"invoice.paid\",\"delivery\":\"" + deliveryId + "\"}";
        long ts = Instant.now().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", deliveryId);
        headers.put("webhook-timestamp", Long.toString(ts));
        headers.put(
                "webhook-signature",
                StandardWebhooks.signature(
                        secret, deliveryId, ts, body.getBytes(StandardCharsets.UTF_8)));
        if (traceparent != null) {
            headers.put(CloudEventKafka.TRACEPARENT, traceparent);
        }
        return Http.send(
                pipeline.service("trigger-service").url("/webhooks/" + hookId),
                "POST",
                body,
                headers);
    }

    /** The trace id of a W3C {@code traceparent} ({@code 00-<trace id>-<parent id>-<flags>}). */
    static String traceId(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        String[] parts = traceparent.split("-");
        return parts.length == 4 ? parts[1] : traceparent;
    }

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    static void transform(
            String name, String command, String select, List<String> upstream, String when) {
        transform(name, command, select, upstream, when, null);
    }

    static void transform(
            String name,
            String command,
            String select,
            List<String> upstream,
            String when,
            Map<String, Object> vars) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (vars != null) {
            body.put("vars", vars);
        }
        body.put("name", name);
        body.put("projectDir", "demo");
        body.put("profilesDir", "demo");
        body.put("command", command);
        if (select != null) {
            body.put("select", select);
        }
        if (upstream != null) {
            body.put("upstream", Map.of("connectionIds", upstream, "when", when));
        }
        pipeline.api("transform-service", "POST", "/api/transforms", Http.json(body));
    }

    /**
     * A generic-webhook subscription to the local receiver, narrowed by a CEL {@code filter};
     * returns the subscription id.
     */
    static String subscribe(String name, List<String> types, String filter, String path) {
        String secret = StandardWebhooks.newSecret();
        String answer =
                pipeline.api(
                        "notifier-service",
                        "POST",
                        "/api/subscriptions",
                        Http.json(
                                Map.of(
                                        "name", name,
                                        "eventTypes", types,
                                        "filter", filter,
                                        "channel", "webhook",
                                        "settings",
                                                Map.of(
                                                        "url",
                                                        receiver.endpoint(path, secret),
                                                        "secret",
                                                        secret))));
        return new Http.Answer(200, answer).json().path("id").asText();
    }

    /**
     * An expectation at the notifier-service ({@code promise}: its one promise); returns its id.
     */
    static String expect(String name, Map<String, Object> subject, Map<String, Object> promise) {
        Map<String, Object> body = new LinkedHashMap<>(promise);
        body.put("name", name);
        body.put("subject", subject);
        String answer =
                pipeline.api("notifier-service", "POST", "/api/expectations", Http.json(body));
        return new Http.Answer(200, answer).json().path("id").asText();
    }

    /** The subscriber's one notification at {@code path}: correctly signed, of {@code type}. */
    static Receiver.Received signedNotice(String path, String type) {
        Receiver.Received note = awaitReceived(path, 1).get(0);
        assertThat(note.signatureValid()).as("Standard Webhooks signature").isTrue();
        assertThat(note.header("Content-Type")).startsWith("application/cloudevents+json");
        assertThat(note.type()).isEqualTo(type);
        return note;
    }

    static List<Receiver.Received> awaitReceived(String path, int count) {
        await().atMost(FLOW)
                .pollInterval(Duration.ofMillis(250))
                .failFast("a service died", PipelineSuite::anyServiceDead)
                .until(() -> receiver.at(path).size() >= count);
        return receiver.at(path);
    }

    static boolean anyServiceDead() {
        for (String s : Pipeline.SERVICES) {
            if (!pipeline.service(s).isAlive()) {
                LOG.errorf("%s is dead:%n%s", s, pipeline.service(s).logTail(60));
                return true;
            }
        }
        return false;
    }

    /** The transform's ending event (succeeded or failed). */
    static ReceivedEvent awaitTransformEnd(String name) {
        return events(
                        Topics.TRANSFORM_EVENTS,
                        forKey(name)
                                .and(
                                        e ->
                                                e.type().equals("io.tributary.transform.succeeded")
                                                        || e.type()
                                                                .equals(
                                                                        "io.tributary.transform.failed")),
                        1)
                .get(0);
    }

    /** The dbt runs of a transform, one {@code transform.started} per distinct run id. */
    static List<ReceivedEvent> dbtRuns(String name) {
        Map<String, ReceivedEvent> byRun = new LinkedHashMap<>();
        for (ReceivedEvent e :
                events(
                        Topics.TRANSFORM_EVENTS,
                        forKey(name).and(type("io.tributary.transform.started")),
                        0)) {
            byRun.putIfAbsent(e.data().path("runId").asText(), e);
        }
        return new ArrayList<>(byRun.values());
    }

    static List<JsonNode> runs(String transform) {
        JsonNode list =
                new Http.Answer(
                                200,
                                pipeline.api(
                                        "transform-service",
                                        "GET",
                                        "/api/transforms/" + transform + "/runs",
                                        null))
                        .json();
        List<JsonNode> out = new ArrayList<>();
        list.forEach(out::add);
        return out;
    }

    /**
     * At least {@code count} events of a topic matching {@code filter} (waiting up to the flow
     * timeout), each read and validated against its schema as any consumer would.
     */
    static List<ReceivedEvent> events(String topic, Predicate<ReceivedEvent> filter, int count) {
        Predicate<ConsumerRecord<String, byte[]>> match = rec -> filter.test(validated(rec));
        List<ConsumerRecord<String, byte[]>> found =
                readers.get(topic).await(match, count, count == 0 ? Duration.ofMillis(500) : FLOW);
        assertThat(found).as("events on %s", topic).hasSizeGreaterThanOrEqualTo(count);
        return found.stream().map(PipelineSuite::validated).toList();
    }

    static ReceivedEvent validated(ConsumerRecord<String, byte[]> rec) {
        Parsed parsed = CloudEventKafka.readValidated(rec);
        if (parsed instanceof Parsed.Ok ok) {
            return ok.event();
        }
        throw new AssertionError(rec.topic() + " offset " + rec.offset() + ": " + parsed);
    }

    static Predicate<ReceivedEvent> forKey(Object key) {
        return e -> key.toString().equals(e.key());
    }

    static boolean isKey(ConsumerRecord<String, byte[]> rec, String key) {
        return key.equals(rec.key());
    }

    static Predicate<ReceivedEvent> type(String type) {
        return e -> type.equals(e.type());
    }

    static boolean isSyncEnding(ReceivedEvent e) {
        return Set.of(
                        "io.tributary.sync.succeeded",
                        "io.tributary.sync.failed",
                        "io.tributary.sync.cancelled")
                .contains(e.type());
    }

    static List<String> types(List<ReceivedEvent> events) {
        return events.stream().map(ReceivedEvent::type).toList();
    }

    static Set<String> ids(List<ReceivedEvent> events) {
        return events.stream().map(ReceivedEvent::id).collect(Collectors.toSet());
    }

    /** Statements run on the warehouse, in order (each in its own autocommit). */
    static void warehouse(String... sql) throws SQLException {
        try (Connection c =
                        DriverManager.getConnection(
                                pipeline.warehouse.jdbcUrl(),
                                pipeline.warehouse.username(),
                                pipeline.warehouse.password());
                Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    /** A run of the transform-service as its API shows it, with its node results. */
    static JsonNode run(String runId) {
        return new Http.Answer(
                        200, pipeline.api("transform-service", "GET", "/api/runs/" + runId, null))
                .json();
    }

    /**
     * The node ids of a run, by dbt status ({@code success}, {@code error}, {@code skipped}...).
     */
    static Map<String, String> nodes(JsonNode run) {
        Map<String, String> byId = new TreeMap<>();
        run.path("nodes")
                .forEach(n -> byId.put(n.path("uniqueId").asText(), n.path("status").asText()));
        return byId;
    }

    static long count(String sql) throws SQLException {
        try (Connection c =
                        DriverManager.getConnection(
                                pipeline.warehouse.jdbcUrl(),
                                pipeline.warehouse.username(),
                                pipeline.warehouse.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
