package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.FailureReason;
import io.tributary.events.JobType;
import io.tributary.events.Parsed;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncStatus;
import io.tributary.events.Topics;
import io.tributary.local.FrozenDatabase;
import io.tributary.local.KafkaFrontDoor;
import io.tributary.local.StandardWebhooks;
import io.tributary.local.TopicReader;
import io.tributary.sandbox.ConnectionScript;
import io.tributary.sandbox.JobSnapshot;
import io.tributary.sandbox.JobStatus;
import java.io.UncheckedIOException;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
 * The pipeline's promises, end to end: the four packaged services as separate processes on embedded
 * Kafka and PostgreSQL, the Airbyte sandbox loading a warehouse, the real dbt on the demo project,
 * and a local subscriber. Everything is set up through the services' real APIs; each scenario has
 * its own connections, hooks, transforms and subscriptions, so the scenarios do not depend on each
 * other (the order only keeps the schema sweep of scenario 7 last, after everything was published).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineTest {
    private static final Logger LOG = Logger.getLogger(PipelineTest.class);
    private static final Duration FLOW = Duration.ofSeconds(180);
    private static final Duration QUIET = Duration.ofSeconds(4);
    private static final SecureRandom RANDOM = new SecureRandom();

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

    @BeforeAll
    static void start() {
        receiver = new Receiver();
        pipeline = Pipeline.start(env -> {});
        for (String topic : Topics.ALL) {
            readers.put(topic, new TopicReader(pipeline.kafkaBootstrapServers(), topic));
        }
    }

    @AfterAll
    static void stop() {
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

    // 1. signed webhook → sync → dbt build → marts hold the loaded rows → signed
    // transform.succeeded, all in the sender's trace (W3C traceparent)
    @Test
    @Order(1)
    void webhookToMartsToSignedNotification() throws Exception {
        UUID conn = flow("s1", shop(ConnectionScript.succeedAfter(secs(2), 0)), "build", null);
        String sub =
                subscribe(
                        "s1-subscriber",
                        List.of("io.tributary.transform.succeeded"),
                        "data.transformName == 's1_build'",
                        "/s1");

        // The sender is traced: its traceparent starts the trace the whole flow continues.
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String traceparent =
                "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01";
        Http.Answer answer = deliver("s1-hook", "s1-delivery-1", traceparent);
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        String requestId = answer.json().path("requestIds").get(0).asText();

        Receiver.Received note = signedNotice("/s1", "io.tributary.transform.succeeded");
        JsonNode data = note.json().path("data");
        assertThat(data.path("transformName").asText()).isEqualTo("s1_build");
        assertThat(data.path("trigger").path("connectionIds").get(0).asText())
                .isEqualTo(conn.toString());
        assertThat(data.path("summary").path("fail").asInt()).isZero();
        assertThat(data.path("summary").path("error").asInt()).isZero();

        // The marts hold what the sync loaded.
        long customers = count("select count(*) from raw_shop.customers");
        assertThat(customers).isEqualTo(20);
        assertThat(count("select count(*) from marts.customer_orders")).isEqualTo(customers);
        assertThat(count("select sum(order_count) from marts.customer_orders"))
                .isEqualTo(count("select count(*) from raw_shop.orders"));
        assertThat(count("select count(*) from marts.daily_revenue")).isPositive();

        // One Airbyte job; the events of the whole chain, each valid against its schema.
        assertThat(pipeline.airbyte.jobs(conn))
                .singleElement()
                .extracting(JobSnapshot::status)
                .isEqualTo(JobStatus.SUCCEEDED);
        List<ReceivedEvent> requests = events(Topics.SYNC_REQUESTS, forKey(conn), 1);
        assertThat(requests).singleElement().extracting(ReceivedEvent::id).isEqualTo(requestId);
        assertThat(requests.get(0).data().path("trigger").path("kind").asText())
                .isEqualTo("webhook");
        assertThat(types(events(Topics.SYNC_EVENTS, forKey(conn), 2)))
                .containsExactly("io.tributary.sync.started", "io.tributary.sync.succeeded");
        assertThat(types(events(Topics.TRANSFORM_EVENTS, forKey("s1_build"), 2)))
                .containsExactly(
                        "io.tributary.transform.started", "io.tributary.transform.succeeded");
        List<ReceivedEvent> outcomes = events(Topics.NOTIFICATION_EVENTS, forKey(sub), 1);
        assertThat(outcomes.get(0).type()).isEqualTo("io.tributary.notification.delivered");
        assertThat(outcomes.get(0).data().path("eventId").asText())
                .isEqualTo(note.json().path("id").asText());

        // One trace links the webhook to the notification: every record of the flow on every
        // topic, and the subscriber's request, carry a traceparent of the sender's trace.
        List<ReceivedEvent> flow = new ArrayList<>(requests);
        flow.addAll(events(Topics.SYNC_EVENTS, forKey(conn), 2));
        flow.addAll(events(Topics.TRANSFORM_EVENTS, forKey("s1_build"), 2));
        flow.addAll(outcomes);
        assertThat(flow)
                .extracting(ReceivedEvent::type)
                .containsExactly(
                        "io.tributary.sync.requested",
                        "io.tributary.sync.started",
                        "io.tributary.sync.succeeded",
                        "io.tributary.transform.started",
                        "io.tributary.transform.succeeded",
                        "io.tributary.notification.delivered");
        assertThat(flow)
                .allSatisfy(
                        e ->
                                assertThat(traceId(e.traceparent()))
                                        .as(
                                                "trace of %s (traceparent %s)",
                                                e.type(), e.traceparent())
                                        .isEqualTo(traceId));
        assertThat(traceId(note.header(CloudEventKafka.TRACEPARENT)))
                .as("trace of the subscriber's request (%s)", note.header("traceparent"))
                .isEqualTo(traceId);
    }

    // 2. a failing sync → no dbt run, a failure notification carrying Airbyte's error
    @Test
    @Order(2)
    void failingSyncNotifiesWithAirbytesErrorAndRunsNoDbt() {
        String error = "Stripe API answered 401: invalid API key sk_live_…";
        UUID conn =
                flow(
                        "s2",
                        pipeline.airbyte.addConnection(
                                "s2 stripe", ConnectionScript.failAfter(secs(2), error)),
                        "build",
                        null);
        subscribe(
                "s2-subscriber",
                List.of("io.tributary.sync.failed", "io.tributary.transform.*"),
                "(type.startsWith('io.tributary.sync.') && data.connectionId == '"
                        + conn
                        + "') || (type.startsWith('io.tributary.transform.')"
                        + " && data.transformName == 's2_build')",
                "/s2");

        assertThat(deliver("s2-hook", "s2-delivery-1").status()).isEqualTo(202);

        Receiver.Received note = signedNotice("/s2", "io.tributary.sync.failed");
        JsonNode data = note.json().path("data");
        assertThat(data.path("connectionId").asText()).isEqualTo(conn.toString());
        assertThat(data.path("reason").asText()).isEqualTo("airbyte_failed");
        assertThat(data.path("message").asText()).contains("Stripe API answered 401");

        // No dbt run: nothing on the transform topic, no run in the transformer, nothing else sent.
        assertThat(readers.get(Topics.TRANSFORM_EVENTS).drain(rec -> isKey(rec, "s2_build"), QUIET))
                .isEmpty();
        assertThat(runs("s2_build")).isEmpty();
        assertThat(receiver.at("/s2")).hasSize(1);
        assertThat(pipeline.airbyte.jobs(conn)).hasSize(1);
    }

    // 3. bad data → a failing dbt test → a notification naming the test
    @Test
    @Order(3)
    void badDataFailsADbtTestAndTheNotificationNamesIt() {
        UUID conn = flow("s3", shop(ConnectionScript.badData(secs(2), 0)), "build", null);
        subscribe(
                "s3-subscriber",
                List.of("io.tributary.transform.failed"),
                "data.transformName == 's3_build'",
                "/s3");

        assertThat(deliver("s3-hook", "s3-delivery-1").status()).isEqualTo(202);

        Receiver.Received note = signedNotice("/s3", "io.tributary.transform.failed");
        JsonNode data = note.json().path("data");
        assertThat(data.path("exitCode").asInt()).isEqualTo(1);
        assertThat(data.path("summary").path("fail").asInt()).isPositive();
        List<String> failed = new ArrayList<>();
        data.path("failures").forEach(f -> failed.add(f.path("uniqueId").asText()));
        assertThat(failed)
                .anySatisfy(id -> assertThat(id).contains("not_null_stg_orders_customer_id"))
                .anySatisfy(id -> assertThat(id).contains("relationships_stg_orders_customer_id"))
                .anySatisfy(id -> assertThat(id).contains("non_negative_stg_payments_amount"));
    }

    // 4. duplicate webhook deliveries → one job, one dbt run
    @Test
    @Order(4)
    void duplicateDeliveriesMakeOneJobAndOneDbtRun() throws Exception {
        UUID conn =
                flow("s4", shop(ConnectionScript.succeedAfter(secs(2), 0)), "run", "stg_customers");

        // A sender that retries: the same delivery three times at once, then once more later.
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Http.Answer>> copies = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                copies.add(pool.submit(() -> deliver("s4-hook", "s4-delivery-1")));
            }
            List<Http.Answer> answers = new ArrayList<>();
            for (Future<Http.Answer> f : copies) {
                answers.add(f.get());
            }
            assertThat(answers.stream().map(Http.Answer::status))
                    .containsExactlyInAnyOrder(202, 200, 200);
            assertThat(answers.stream().map(a -> a.json().path("requestIds").toString()).distinct())
                    .hasSize(1);
        } finally {
            pool.shutdownNow();
        }

        awaitTransformEnd("s4_run");
        Http.Answer late = deliver("s4-hook", "s4-delivery-1");
        assertThat(late.status()).isEqualTo(200);
        assertThat(late.json().path("duplicate").asBoolean()).isTrue();

        assertThat(readers.get(Topics.TRANSFORM_EVENTS).drain(rec -> false, QUIET)).isEmpty();
        assertThat(pipeline.airbyte.jobs(conn)).hasSize(1);
        assertThat(ids(events(Topics.SYNC_REQUESTS, forKey(conn), 1))).hasSize(1);
        assertThat(dbtRuns("s4_run")).hasSize(1);
        assertThat(runs("s4_run")).hasSize(1);
    }

    // 5. sync-monitor SIGKILLed mid-job and restarted → exactly one ending and one dbt run
    @Test
    @Order(5)
    void monitorKilledMidJobEndsTheJobOnceAndRunsDbtOnce() {
        UUID conn =
                flow(
                        "s5",
                        shop(ConnectionScript.succeedAfter(secs(12), 0)),
                        "run",
                        "stg_customers");

        assertThat(deliver("s5-hook", "s5-delivery-1").status()).isEqualTo(202);
        // The monitor has started the job and said so; Airbyte is running it.
        events(Topics.SYNC_EVENTS, forKey(conn).and(type("io.tributary.sync.started")), 1);
        await().atMost(FLOW)
                .until(
                        () ->
                                pipeline.airbyte.jobs(conn).stream()
                                        .anyMatch(j -> j.status() == JobStatus.RUNNING));

        pipeline.crashAndRestart("sync-monitor-service");

        awaitTransformEnd("s5_run");
        readers.get(Topics.SYNC_EVENTS).drain(rec -> false, QUIET);
        List<ReceivedEvent> endings =
                events(Topics.SYNC_EVENTS, forKey(conn).and(PipelineTest::isSyncEnding), 1);
        assertThat(ids(endings)).as("distinct endings").hasSize(1);
        assertThat(endings.get(0).type()).isEqualTo("io.tributary.sync.succeeded");
        assertThat(pipeline.airbyte.jobs(conn)).hasSize(1);
        assertThat(dbtRuns("s5_run")).hasSize(1);
        assertThat(types(events(Topics.TRANSFORM_EVENTS, forKey("s5_run"), 2)))
                .containsExactly(
                        "io.tributary.transform.started", "io.tributary.transform.succeeded");
    }

    // 6. chain A → B and a fan-in transform over A and B → one dbt run after both
    @Test
    @Order(6)
    void chainAndFanInRunDbtOnceAfterBoth() {
        UUID a = shop(ConnectionScript.succeedAfter(secs(2), 0));
        UUID b = shop(ConnectionScript.succeedAfter(secs(2), 0));
        hook("s6-hook", a);
        pipeline.api(
                "trigger-service",
                "POST",
                "/api/rules",
                Http.json(
                        Map.of(
                                "id", "s6-a-then-b",
                                "eventTypes", List.of("sync.succeeded"),
                                "sourceConnectionIds", List.of(a.toString()),
                                "targetConnectionIds", List.of(b.toString()))));
        transform("s6_fanin", "run", "stg_customers", List.of(a.toString(), b.toString()), "all");

        assertThat(deliver("s6-hook", "s6-delivery-1").status()).isEqualTo(202);

        ReceivedEvent end = awaitTransformEnd("s6_fanin");
        assertThat(end.type()).isEqualTo("io.tributary.transform.succeeded");
        readers.get(Topics.TRANSFORM_EVENTS).drain(rec -> false, QUIET);
        List<ReceivedEvent> runs = dbtRuns("s6_fanin");
        assertThat(runs).hasSize(1);

        ReceivedEvent aDone =
                events(Topics.SYNC_EVENTS, forKey(a).and(type("io.tributary.sync.succeeded")), 1)
                        .get(0);
        ReceivedEvent bDone =
                events(Topics.SYNC_EVENTS, forKey(b).and(type("io.tributary.sync.succeeded")), 1)
                        .get(0);
        ReceivedEvent bRequest = events(Topics.SYNC_REQUESTS, forKey(b), 1).get(0);
        assertThat(bRequest.data().path("trigger").path("kind").asText()).isEqualTo("event");
        assertThat(bRequest.data().path("trigger").path("id").asText()).isEqualTo("s6-a-then-b");
        assertThat(bRequest.data().path("correlationId").asText())
                .isEqualTo(aDone.data().path("correlationId").asText());

        ReceivedEvent started = runs.get(0);
        assertThat(started.time()).isAfterOrEqualTo(bDone.time());
        assertThat(started.time()).isAfterOrEqualTo(aDone.time());
        List<String> upstream = new ArrayList<>();
        started.data().path("trigger").path("connectionIds").forEach(c -> upstream.add(c.asText()));
        assertThat(upstream).containsExactlyInAnyOrder(a.toString(), b.toString());
        assertThat(pipeline.airbyte.jobs(a)).hasSize(1);
        assertThat(pipeline.airbyte.jobs(b)).hasSize(1);
    }

    // 7. every record on every topic validates against the contract's JSON Schemas
    // 8. the console, in a real Chromium: sign in, follow a webhook's run live to its dbt result,
    // read a bad-data run's failing tests, Sync now, cancel a running dbt run, the lineage graph,
    // and an Airbyte failure message holding a script tag shown as text
    @Test
    @Order(8)
    void theConsoleShowsAndActsOnThePipeline() {
        UUID conn = flow("s8", shop(ConnectionScript.succeedAfter(secs(4), 0)), "build", null);
        transform(
                "s8_pause",
                "run",
                "stg_customers demo_pause",
                null,
                null,
                Map.of("pause_seconds", 300));
        String script = "<script>window.__pwned = 1</script>";
        UUID failing =
                pipeline.airbyte.addConnection(
                        "s8 failing",
                        ConnectionScript.failAfter(secs(1), "Upstream said no " + script));
        hook("s8-failing-hook", failing);
        ServiceProcess console = pipeline.service("console-service");
        try (ConsoleBrowser browser = new ConsoleBrowser(console.url(""))) {
            Page page = browser.page;
            // Sign in with the one-click URL (the token travels in the fragment only).
            browser.open("/signin#token=" + Pipeline.API_TOKEN);
            page.waitForURL(browser.url("/"));
            assertThat(page.locator("h1").textContent()).isEqualTo("Overview");
            await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> {
                                browser.open("/");
                                return page.locator("ul.health li.h-up").count() == 4;
                            });
            browser.shot("e2e-overview");

            // A signed webhook: its run page goes from running to the dbt result while it is open.
            assertThat(deliver("s8-hook", "s8-delivery-1").status()).isEqualTo(202);
            String corr = correlationOf(conn);
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> {
                                browser.open("/runs/" + corr);
                                return page.locator(".run-head .badge").count() == 1;
                            });
            String url = page.url();
            PlaywrightAssertions.assertThat(page.locator(".run-head .badge"))
                    .hasText(
                            "succeeded",
                            new LocatorAssertions.HasTextOptions().setTimeout(FLOW.toMillis()));
            assertThat(page.url()).as("followed live, never reloaded").isEqualTo(url);
            PlaywrightAssertions.assertThat(page.locator("table.steps"))
                    .containsText("dbt s8_build");
            PlaywrightAssertions.assertThat(page.locator("table.steps")).containsText("rows");
            browser.shot("e2e-run-succeeded");

            // The bad-data run of scenario 3: its failing tests, with dbt's messages.
            String badCorr = awaitTransformEnd("s3_build").data().path("correlationId").asText();
            browser.open("/runs/" + badCorr);
            PlaywrightAssertions.assertThat(page.locator("table.nodes"))
                    .containsText("not_null_stg_orders_customer_id");
            PlaywrightAssertions.assertThat(page.locator("table.nodes")).containsText("Got ");
            browser.shot("e2e-run-bad-data");

            // Sync now, from the connections page: the outcome links to the new run.
            browser.open("/connections");
            Locator row =
                    page.locator(
                            "table.connections tr",
                            new Page.LocatorOptions().setHasText(conn.toString()));
            row.locator("button", new Locator.LocatorOptions().setHasText("Sync now")).click();
            PlaywrightAssertions.assertThat(page.locator(".outcome .ok"))
                    .containsText("Sync requested");
            browser.shot("e2e-sync-now");
            String runLink =
                    page.locator(".outcome a", new Page.LocatorOptions().setHasText("run "))
                            .first()
                            .getAttribute("href");
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> {
                                browser.open(runLink);
                                return page.locator(".run-head").count() == 1;
                            });
            PlaywrightAssertions.assertThat(page.locator(".run-head")).containsText("manual");
            await().atMost(FLOW).until(() -> pipeline.airbyte.jobs(conn).size() == 2);

            // Run a transform now, then cancel it while dbt holds it (demo_pause).
            browser.open("/transforms");
            page.locator("table.transforms tr", new Page.LocatorOptions().setHasText("s8_pause"))
                    .locator("button", new Locator.LocatorOptions().setHasText("Run now"))
                    .click();
            PlaywrightAssertions.assertThat(page.locator(".outcome .ok")).containsText("queued");
            await().atMost(FLOW)
                    .until(
                            () -> {
                                browser.open("/transforms/s8_pause");
                                return page.locator(
                                                                "table.steps button",
                                                                new Page.LocatorOptions()
                                                                        .setHasText("Cancel"))
                                                        .count()
                                                == 1
                                        && page.locator(
                                                                "table.steps .badge",
                                                                new Page.LocatorOptions()
                                                                        .setHasText("running"))
                                                        .count()
                                                == 1;
                            });
            browser.shot("e2e-dbt-running");
            page.locator("table.steps button", new Page.LocatorOptions().setHasText("Cancel"))
                    .click();
            PlaywrightAssertions.assertThat(page.locator(".outcome .ok"))
                    .containsText("Cancel requested");
            ReceivedEvent cancelled = awaitTransformEnd("s8_pause");
            assertThat(cancelled.type()).isEqualTo("io.tributary.transform.failed");

            // The lineage of the demo project: connection → sources → models → exposure.
            browser.open("/transforms/s8_build");
            browser.shot("e2e-lineage");
            Locator graph = page.locator("svg.lineage");
            PlaywrightAssertions.assertThat(graph.locator("g[data-id='connection:" + conn + "']"))
                    .hasCount(1);
            PlaywrightAssertions.assertThat(
                            graph.locator("g[data-id='source.tributary_demo.raw_shop.customers']"))
                    .hasCount(1);
            PlaywrightAssertions.assertThat(
                            graph.locator("g[data-id='model.tributary_demo.customer_orders']"))
                    .hasCount(1);
            PlaywrightAssertions.assertThat(
                            graph.locator("g[data-id='exposure.tributary_demo.revenue_dashboard']"))
                    .hasCount(1);
            PlaywrightAssertions.assertThat(
                            graph.locator(
                                    "g.s-succeeded[data-id='model.tributary_demo.customer_orders']"))
                    .hasCount(1);

            // Airbyte's failure message holds a script tag: it shows as text and never runs.
            assertThat(deliver("s8-failing-hook", "s8-delivery-2").status()).isEqualTo(202);
            String failedCorr = correlationOf(failing);
            await().atMost(FLOW)
                    .until(
                            () -> {
                                browser.open("/runs/" + failedCorr);
                                return page.locator(".run-head .alert").count() == 1;
                            });
            PlaywrightAssertions.assertThat(page.locator(".run-head .alert"))
                    .containsText("Upstream said no " + script);
            assertThat(page.evaluate("() => window.__pwned === undefined")).isEqualTo(true);
            browser.shot("e2e-run-script-as-text");
        }
    }

    /** The correlation id of the (first) sync request for a connection. */
    private static String correlationOf(UUID conn) {
        return events(Topics.SYNC_REQUESTS, forKey(conn), 1)
                .get(0)
                .data()
                .path("correlationId")
                .asText();
    }

    // 9. fault suite: PostgreSQL frozen (SIGSTOP) for 20 s: every webhook answer is a 503 within
    //    the publish timeout + 2 s, every readiness DOWN within 3 s; after the thaw the sender's
    //    retry is accepted and the flow completes once: one Airbyte job, one dbt run.
    @Test
    @Order(9)
    void frozenDatabaseIsAnsweredInTimeAndTheFlowCompletesOnceAfterTheThaw() {
        UUID conn = flow("s10", shop(ConnectionScript.succeedAfter(secs(2), 0)), "run", null);
        try (FrozenDatabase frozen =
                FrozenDatabase.freeze(
                        pipeline.warehouse.jdbcUrl(),
                        pipeline.warehouse.username(),
                        pipeline.warehouse.password())) {
            answeredInTimeWhileFrozen("PostgreSQL", "s10");
        }
        completesOnceAfterTheThaw(conn, "s10");
    }

    // 10. fault suite: Kafka frozen for 20 s (its front door holds every byte): the same.
    @Test
    @Order(10)
    void frozenKafkaIsAnsweredInTimeAndTheFlowCompletesOnceAfterTheThaw() {
        UUID conn = flow("s11", shop(ConnectionScript.succeedAfter(secs(2), 0)), "run", null);
        try (KafkaFrontDoor.Thaw frozen = pipeline.kafka.freeze()) {
            answeredInTimeWhileFrozen("Kafka", "s11");
        }
        completesOnceAfterTheThaw(conn, "s11");
    }

    // 11. fault suite: four pipelines started 1.5 s apart; each of the four services is SIGKILLed
    //     at its own random moment of them and restarted at once. Counted per accepted request:
    //     exactly one ending, one Airbyte job per connection, one successful dbt run per transform
    //     (a second run only as the documented re-queue of one interrupted by the kill), and each
    //     notification delivered once as the receiver sees it (distinct webhook-id).
    @Test
    @Order(11)
    void everyServiceKilledAtARandomMomentLosesAndDoublesNothing() {
        List<String> scenarios = List.of("s12a", "s12b", "s12c", "s12d");
        Map<String, UUID> conns = new LinkedHashMap<>();
        for (String s : scenarios) {
            UUID conn =
                    flow(
                            s,
                            shop(ConnectionScript.succeedAfter(secs(3), 0)),
                            "run",
                            "stg_customers");
            conns.put(s, conn);
            subscribe(
                    s + "-subscriber",
                    List.of("io.tributary.sync.succeeded", "io.tributary.transform.succeeded"),
                    "(type == 'io.tributary.sync.succeeded' && data.connectionId == '"
                            + conn
                            + "') || (type == 'io.tributary.transform.succeeded'"
                            + " && data.transformName == '"
                            + s
                            + "_run')",
                    "/" + s);
        }
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(8);
        List<Duration> answers = new CopyOnWriteArrayList<>();
        Map<String, Long> killedAtMs = new ConcurrentHashMap<>();
        long t0 = System.nanoTime();
        try {
            List<ScheduledFuture<?>> work = new ArrayList<>();
            for (int i = 0; i < scenarios.size(); i++) {
                String s = scenarios.get(i);
                work.add(
                        clock.schedule(
                                () -> answers.addAll(deliverUntilAccepted(s)),
                                1500L * i,
                                TimeUnit.MILLISECONDS));
            }
            // Each at a random moment of the part of the pipelines it serves (ms after the first
            // delivery): deliveries until 4.5 s, jobs from then on, dbt and notifications later.
            Map<String, long[]> windows =
                    Map.of(
                            "trigger-service", new long[] {0, 6_000},
                            "sync-monitor-service", new long[] {0, 10_000},
                            "transform-service", new long[] {5_000, 15_000},
                            "notifier-service", new long[] {5_000, 15_000});
            for (Map.Entry<String, long[]> window : windows.entrySet()) {
                String service = window.getKey();
                long at = RANDOM.nextLong(window.getValue()[0], window.getValue()[1]);
                work.add(
                        clock.schedule(
                                () -> {
                                    killedAtMs.put(service, (System.nanoTime() - t0) / 1_000_000);
                                    pipeline.crashAndRestart(service);
                                },
                                at,
                                TimeUnit.MILLISECONDS));
            }
            for (ScheduledFuture<?> w : work) {
                w.get(FLOW.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new AssertionError("a sender or a restart failed", e);
        } finally {
            clock.shutdownNow();
        }
        Endings endings = new Endings(0, 0, 0, 0);
        int jobs = 0, dbtRuns = 0, requeued = 0, notifications = 0;
        for (String s : scenarios) {
            UUID conn = conns.get(s);
            // A run interrupted by the kill ends failed first; its re-queued run then succeeds.
            await().atMost(FLOW)
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> runs(s + "_run").stream().anyMatch(PipelineTest::succeeded));
            endings = endings.plus(Endings.of(conn));
            jobs += pipeline.airbyte.jobs(conn).size();
            assertThat(pipeline.airbyte.jobs(conn)).as("%s: Airbyte jobs", s).hasSize(1);
            List<JsonNode> runs = runs(s + "_run");
            dbtRuns += runs.size();
            long requeues = runs.stream().filter(r -> r.hasNonNull("requeuedFrom")).count();
            requeued += (int) requeues;
            assertThat(runs)
                    .as("%s: dbt runs (one, or one re-queued after the kill)", s)
                    .hasSize(1 + (int) requeues);
            assertThat(runs.stream().filter(PipelineTest::succeeded))
                    .as("%s: successful dbt runs", s)
                    .hasSize(1);
            await().atMost(FLOW).until(() -> webhookIds(s).size() == 2);
            notifications += webhookIds(s).size();
        }
        // Late doubles would show up here: nothing more arrives for a few seconds.
        int expected = notifications;
        await().during(QUIET)
                .atMost(QUIET.multipliedBy(2))
                .until(
                        () ->
                                scenarios.stream().mapToInt(s -> webhookIds(s).size()).sum()
                                        == expected);
        System.out.printf(
                "fault suite: SIGKILL at random moments (ms after the first delivery): %s;"
                        + " %s; Airbyte jobs %d for %d connections; dbt runs %d, of them"
                        + " re-queued after a kill %d; notifications %d distinct (expected %d);"
                        + " worst webhook answer %d ms%n",
                killedAtMs,
                endings,
                jobs,
                conns.size(),
                dbtRuns,
                requeued,
                notifications,
                2 * scenarios.size(),
                Collections.max(answers).toMillis());
        assertThat(endings).isEqualTo(new Endings(4, 4, 0, 0));
        assertThat(Collections.max(answers)).isLessThanOrEqualTo(secs(12));
    }

    /**
     * What a sender does until its delivery is accepted: the same delivery id again after a 503 or
     * a refused connection (the trigger-service may be down); returns the answer times.
     */
    private static List<Duration> deliverUntilAccepted(String scenario) {
        List<Duration> answers = new ArrayList<>();
        await().atMost(FLOW)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            long t = System.nanoTime();
                            try {
                                int status =
                                        deliver(scenario + "-hook", scenario + "-delivery-1")
                                                .status();
                                answers.add(Duration.ofNanos(System.nanoTime() - t));
                                return status / 100 == 2;
                            } catch (UncheckedIOException refused) {
                                return false;
                            }
                        });
        return answers;
    }

    private static boolean succeeded(JsonNode run) {
        return run.path("status").asText().equals("succeeded");
    }

    /** The distinct notifications the scenario's subscriber received. */
    private static Set<String> webhookIds(String scenario) {
        return receiver.at("/" + scenario).stream()
                .map(r -> r.header("webhook-id"))
                .collect(Collectors.toSet());
    }

    /**
     * For 20 s: the scenario's webhook delivery, sent again as a sender retries, answers 503 within
     * the publish timeout + 2 s; meanwhile every service's readiness, asked again and again from
     * the moment of the freeze, answers DOWN within 3 s.
     */
    private static void answeredInTimeWhileFrozen(String what, String scenario) {
        Duration bound = secs(12);
        // A thread for the sender and one per service: the probes run at the same moment.
        ExecutorService threads = Executors.newFixedThreadPool(1 + Pipeline.SERVICES.length);
        try {
            answeredInTimeWhileFrozen(what, scenario, bound, threads);
        } finally {
            threads.shutdownNow();
        }
    }

    private static void answeredInTimeWhileFrozen(
            String what, String scenario, Duration bound, ExecutorService threads) {
        long frozenAt = System.nanoTime();
        BooleanSupplier frozenFor20s =
                () -> Duration.ofNanos(System.nanoTime() - frozenAt).compareTo(secs(20)) < 0;
        CompletableFuture<List<Duration>> webhooks =
                CompletableFuture.supplyAsync(
                        () -> {
                            List<Duration> answers = new ArrayList<>();
                            do {
                                long t = System.nanoTime();
                                Http.Answer answer =
                                        deliver(scenario + "-hook", scenario + "-delivery-1");
                                answers.add(Duration.ofNanos(System.nanoTime() - t));
                                assertThat(answer.status())
                                        .as("webhook while %s is frozen", what)
                                        .isEqualTo(503);
                            } while (frozenFor20s.getAsBoolean());
                            return answers;
                        },
                        threads);
        List<Duration> readiness = new ArrayList<>();
        do {
            // No pause between rounds: a frozen dependency's check itself takes its 2 s.
            List<CompletableFuture<Duration>> probes = new ArrayList<>();
            for (String service : Pipeline.SERVICES) {
                probes.add(
                        CompletableFuture.supplyAsync(() -> readinessDown(service, what), threads));
            }
            probes.forEach(p -> readiness.add(p.join()));
        } while (frozenFor20s.getAsBoolean());
        List<Duration> answers = webhooks.join();
        Duration worstWebhook = Collections.max(answers);
        Duration worstReadiness = Collections.max(readiness);
        System.out.printf(
                "fault suite: %s frozen 20 s: %d webhook answers, all 503, worst %d ms"
                        + " (bound %d ms); %d readiness answers, all DOWN (liveness UP), worst %d ms%n",
                what,
                answers.size(),
                worstWebhook.toMillis(),
                bound.toMillis(),
                readiness.size(),
                worstReadiness.toMillis());
        assertThat(worstWebhook).isLessThanOrEqualTo(bound);
        assertThat(worstReadiness).isLessThanOrEqualTo(secs(3));
    }

    /** How long the service's readiness took to answer; it must be DOWN, liveness UP. */
    private static Duration readinessDown(String service, String what) {
        long r = System.nanoTime();
        int status = pipeline.service(service).readinessStatus(secs(3));
        Duration took = Duration.ofNanos(System.nanoTime() - r);
        assertThat(status).as("%s readiness while %s is frozen", service, what).isEqualTo(503);
        assertThat(pipeline.service(service).status("/q/health/live", secs(3)))
                .as("%s liveness while %s is frozen", service, what)
                .isEqualTo(200);
        return took;
    }

    /**
     * The connection's accepted requests (distinct request ids) and, per request, whether it has
     * exactly one ending (by event id), none (lost) or more (doubled).
     */
    private record Endings(int accepted, int ended, int lost, int doubled) {
        static Endings of(UUID conn) {
            Set<String> requests = ids(events(Topics.SYNC_REQUESTS, forKey(conn), 1));
            List<ReceivedEvent> endings =
                    events(Topics.SYNC_EVENTS, forKey(conn).and(PipelineTest::isSyncEnding), 1);
            int ended = 0, lost = 0, doubled = 0;
            for (String request : requests) {
                long n =
                        endings.stream()
                                .filter(
                                        e ->
                                                e.data()
                                                        .path("requestIds")
                                                        .toString()
                                                        .contains(request))
                                .map(ReceivedEvent::id)
                                .distinct()
                                .count();
                ended += n == 1 ? 1 : 0;
                lost += n == 0 ? 1 : 0;
                doubled += n > 1 ? 1 : 0;
            }
            return new Endings(requests.size(), ended, lost, doubled);
        }

        Endings plus(Endings o) {
            return new Endings(
                    accepted + o.accepted, ended + o.ended, lost + o.lost, doubled + o.doubled);
        }

        @Override
        public String toString() {
            return "accepted %d, ended %d, lost %d, doubled %d"
                    .formatted(accepted, ended, lost, doubled);
        }
    }

    /** The sender's retry is accepted and the flow completes: one Airbyte job, one dbt run. */
    private static void completesOnceAfterTheThaw(UUID conn, String scenario) {
        await().atMost(FLOW)
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () ->
                                deliver(scenario + "-hook", scenario + "-delivery-1").status() / 100
                                        == 2);
        ReceivedEvent end = awaitTransformEnd(scenario + "_run");
        assertThat(end.type()).isEqualTo("io.tributary.transform.succeeded");
        readers.get(Topics.TRANSFORM_EVENTS).drain(rec -> false, QUIET);
        Endings endings = Endings.of(conn);
        System.out.printf(
                "fault suite: after the thaw (%s): %s; %d Airbyte job, %d dbt run (one of each"
                        + " expected)%n",
                scenario,
                endings,
                pipeline.airbyte.jobs(conn).size(),
                dbtRuns(scenario + "_run").size());
        assertThat(endings).isEqualTo(new Endings(1, 1, 0, 0));
        assertThat(pipeline.airbyte.jobs(conn)).hasSize(1);
        assertThat(dbtRuns(scenario + "_run")).hasSize(1);
    }

    // 30. fault suite, after every other scenario (it leaves the other services stopped): SIGTERM
    //     stops every service within 10 s; the notifier, started again, SIGKILLed and restarted,
    //     delivers the next notification within 10 s of its readiness (static group membership: no
    //     wait for its dead self's session), exactly once.
    @Test
    @Order(30)
    void everyServiceStopsWithinTenSecondsAndARestartedNotifierDeliversAtOnce() {
        String conn = UUID.randomUUID().toString();
        subscribe(
                "s9-subscriber",
                List.of("io.tributary.sync.failed"),
                "data.connectionId == '" + conn + "'",
                "/s9");
        Map<String, Duration> stops = pipeline.stopAll(Duration.ofSeconds(10));
        System.out.printf("fault suite: SIGTERM → exit per service: %s%n", stops);
        assertThat(stops)
                .hasSize(Pipeline.SERVICES.length)
                .allSatisfy(
                        (service, took) ->
                                assertThat(took).as(service).isLessThanOrEqualTo(secs(10)));

        pipeline.restart("notifier-service");
        pipeline.crashAndRestart("notifier-service");
        pipeline.restart("notifier-service");
        long ready = System.nanoTime();
        publishSyncFailed(conn);
        await().atMost(secs(10)).until(() -> !receiver.at("/s9").isEmpty());
        System.out.printf(
                "fault suite: notifier SIGKILLed and restarted: the next notification arrived %d ms"
                        + " after its readiness%n",
                Duration.ofNanos(System.nanoTime() - ready).toMillis());
        // Exactly once as the receiver sees it: one webhook-id, one delivery.
        await().during(secs(3)).atMost(secs(5)).until(() -> receiver.at("/s9").size() == 1);
    }

    /** A contract {@code io.tributary.sync.failed} for {@code conn}, straight onto its topic. */
    private static void publishSyncFailed(String conn) {
        Instant now = Instant.now();
        SyncFinished failed =
                new SyncFinished(
                        conn,
                        9L,
                        JobType.SYNC,
                        List.of(),
                        false,
                        now.minusSeconds(60),
                        UUID.randomUUID().toString(),
                        SyncStatus.FAILED,
                        now,
                        Duration.ofSeconds(60),
                        0L,
                        0L,
                        FailureReason.AIRBYTE_FAILED,
                        "fault suite");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                pipeline.kafkaBootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            producer.send(
                            CloudEventKafka.record(
                                    failed.ceType(),
                                    UUID.randomUUID().toString(),
                                    conn,
                                    failed,
                                    CloudEventKafka.source("sync-monitor-service")))
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish the test event", e);
        }
    }

    @Test
    @Order(20)
    void everyRecordOnEveryTopicMatchesTheContract() {
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
        // The last records of the flow: the outcomes of both deliveries.
        events(Topics.NOTIFICATION_EVENTS, forKey(sub), 2);

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
        LOG.infof("records validated per topic: %s", counts);
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isPositive());
    }

    // ---------------------------------------------------------------------------------------------

    private static Duration secs(long s) {
        return Duration.ofSeconds(s);
    }

    /** A connection that loads the shop's tables into the warehouse, as scripted. */
    private static UUID shop(ConnectionScript script) {
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
    private static UUID flow(String scenario, UUID conn, String command, String select) {
        hook(scenario + "-hook", conn);
        transform(scenario + "_" + command, command, select, List.of(conn.toString()), "any");
        return conn;
    }

    /** A Standard Webhooks hook syncing {@code conn}, with a secret of its own. */
    private static void hook(String id, UUID conn) {
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
    private static Http.Answer deliver(String hookId, String deliveryId) {
        return deliver(hookId, deliveryId, null);
    }

    /** The same, from a traced sender: with a W3C {@code traceparent} header unless null. */
    private static Http.Answer deliver(String hookId, String deliveryId, String traceparent) {
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
    private static String traceId(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        String[] parts = traceparent.split("-");
        return parts.length == 4 ? parts[1] : traceparent;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static void transform(
            String name, String command, String select, List<String> upstream, String when) {
        transform(name, command, select, upstream, when, null);
    }

    private static void transform(
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
    private static String subscribe(String name, List<String> types, String filter, String path) {
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

    /** The subscriber's one notification at {@code path}: correctly signed, of {@code type}. */
    private static Receiver.Received signedNotice(String path, String type) {
        Receiver.Received note = awaitReceived(path, 1).get(0);
        assertThat(note.signatureValid()).as("Standard Webhooks signature").isTrue();
        assertThat(note.header("Content-Type")).startsWith("application/cloudevents+json");
        assertThat(note.type()).isEqualTo(type);
        return note;
    }

    private static List<Receiver.Received> awaitReceived(String path, int count) {
        await().atMost(FLOW)
                .pollInterval(Duration.ofMillis(250))
                .failFast("a service died", PipelineTest::anyServiceDead)
                .until(() -> receiver.at(path).size() >= count);
        return receiver.at(path);
    }

    private static boolean anyServiceDead() {
        for (String s : Pipeline.SERVICES) {
            if (!pipeline.service(s).isAlive()) {
                LOG.errorf("%s is dead:%n%s", s, pipeline.service(s).logTail(60));
                return true;
            }
        }
        return false;
    }

    /** The transform's ending event (succeeded or failed). */
    private static ReceivedEvent awaitTransformEnd(String name) {
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
    private static List<ReceivedEvent> dbtRuns(String name) {
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

    private static List<JsonNode> runs(String transform) {
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
    private static List<ReceivedEvent> events(
            String topic, Predicate<ReceivedEvent> filter, int count) {
        Predicate<ConsumerRecord<String, byte[]>> match = rec -> filter.test(validated(rec));
        List<ConsumerRecord<String, byte[]>> found =
                readers.get(topic).await(match, count, count == 0 ? Duration.ofMillis(500) : FLOW);
        assertThat(found).as("events on %s", topic).hasSizeGreaterThanOrEqualTo(count);
        return found.stream().map(PipelineTest::validated).toList();
    }

    private static ReceivedEvent validated(ConsumerRecord<String, byte[]> rec) {
        Parsed parsed = CloudEventKafka.readValidated(rec);
        if (parsed instanceof Parsed.Ok ok) {
            return ok.event();
        }
        throw new AssertionError(rec.topic() + " offset " + rec.offset() + ": " + parsed);
    }

    private static Predicate<ReceivedEvent> forKey(Object key) {
        return e -> key.toString().equals(e.key());
    }

    private static boolean isKey(ConsumerRecord<String, byte[]> rec, String key) {
        return key.equals(rec.key());
    }

    private static Predicate<ReceivedEvent> type(String type) {
        return e -> type.equals(e.type());
    }

    private static boolean isSyncEnding(ReceivedEvent e) {
        return Set.of(
                        "io.tributary.sync.succeeded",
                        "io.tributary.sync.failed",
                        "io.tributary.sync.cancelled")
                .contains(e.type());
    }

    private static List<String> types(List<ReceivedEvent> events) {
        return events.stream().map(ReceivedEvent::type).toList();
    }

    private static Set<String> ids(List<ReceivedEvent> events) {
        return events.stream().map(ReceivedEvent::id).collect(Collectors.toSet());
    }

    private static long count(String sql) throws SQLException {
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
