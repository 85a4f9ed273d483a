package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.Topics;
import io.tributary.sandbox.ConnectionScript;
import io.tributary.sandbox.JobSnapshot;
import io.tributary.sandbox.JobStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's promises, end to end, on a stack of its own ({@link PipelineSuite}): webhook to
 * marts to a signed notification in one trace, failures and bad data notified, duplicates and a
 * monitor crash making one job and one dbt run, chains and fan-in, and the console in Chromium.
 * {@link FaultSuiteTest} runs beside it on another stack.
 */
class PipelineTest extends PipelineSuite {
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

    // 12. select: changed — a sync of the demo shop where only orders changed runs only
    // stg_orders and what depends on it; the run says which streams and why
    @Test
    @Order(12)
    void onlyWhatReadsTheChangedStreamRuns() {
        UUID conn =
                flow(
                        "s12",
                        shop(
                                ConnectionScript.succeedAfter(secs(2), 0)
                                        .withStreamRecords(Map.of("orders", 10L))),
                        "build",
                        "changed");

        assertThat(deliver("s12-hook", "s12-delivery-1").status()).isEqualTo(202);

        ReceivedEvent ending = awaitTransformEnd("s12_build");
        assertThat(ending.type()).as(ending.data().toString()).endsWith(".succeeded");
        JsonNode data = ending.data();
        assertThat(data.path("select").asText()).isEqualTo("source:raw_shop.orders+");
        assertThat(data.path("changedStreams").toString()).isEqualTo("[\"raw_shop.orders\"]");
        assertThat(data.path("selectionReason").asText()).contains("raw_shop.orders");
        ReceivedEvent synced =
                events(Topics.SYNC_EVENTS, forKey(conn).and(PipelineSuite::isSyncEnding), 1).get(0);
        assertThat(synced.data().path("streams").toString())
                .contains("\"name\":\"orders\"", "\"name\":\"customers\"");

        Map<String, String> nodes = nodes(run(data.path("runId").asText()));
        System.out.printf("s12 (only orders changed): nodes of the run %s%n", nodes);
        assertThat(nodes)
                .containsEntry("model.tributary_demo.stg_orders", "success")
                .containsEntry("model.tributary_demo.customer_orders", "success")
                .containsEntry("model.tributary_demo.daily_revenue", "success")
                .doesNotContainKeys(
                        "model.tributary_demo.stg_customers", "model.tributary_demo.stg_payments");
    }

    // 13. select: changed and a sync that committed no records: no dbt run, one transform.skipped
    @Test
    @Order(13)
    void aSyncWithNothingCommittedSkipsTheRun() {
        flow(
                "s13",
                shop(
                        ConnectionScript.succeedAfter(secs(1), 0)
                                .withStreamRecords(Map.of("orders", 0L))),
                "build",
                "changed");

        assertThat(deliver("s13-hook", "s13-delivery-1").status()).isEqualTo(202);

        ReceivedEvent skipped =
                events(
                                Topics.TRANSFORM_EVENTS,
                                forKey("s13_build").and(type("io.tributary.transform.skipped")),
                                1)
                        .get(0);
        assertThat(skipped.data().path("message").asText()).isNotBlank();
        assertThat(
                        readers.get(Topics.TRANSFORM_EVENTS)
                                .drain(rec -> isKey(rec, "s13_build"), QUIET))
                .extracting(rec -> validated(rec).type())
                .containsExactly("io.tributary.transform.skipped");
        assertThat(dbtRuns("s13_build")).isEmpty();
    }

    // 14. a run that failed on a model error, retried once the cause is fixed, runs only the
    // failed and skipped nodes and succeeds
    @Test
    @Order(14)
    void aRetryRunsOnlyWhatFailedAndSucceeds() throws Exception {
        warehouse("drop schema if exists e2e_probe cascade");
        UUID conn = shop(ConnectionScript.succeedAfter(secs(1), 0));
        hook("s14-hook", conn);
        pipeline.api(
                "transform-service",
                "POST",
                "/api/transforms",
                Http.json(
                        Map.of(
                                "name", "s14_build",
                                "projectDir", "demo",
                                "profilesDir", "demo",
                                "command", "build",
                                "select", "stg_customers retry_probe+",
                                // stg_customers' relationships test reads stg_orders: not here.
                                "exclude", "stg_orders+",
                                "vars", Map.of("retry_probe_table", "e2e_probe.input"),
                                "upstream",
                                        Map.of(
                                                "connectionIds",
                                                List.of(conn.toString()),
                                                "when",
                                                "any"))));

        assertThat(deliver("s14-hook", "s14-delivery-1").status()).isEqualTo(202);
        ReceivedEvent failed = awaitTransformEnd("s14_build");
        assertThat(failed.type()).isEqualTo("io.tributary.transform.failed");
        String first = failed.data().path("runId").asText();
        Map<String, String> before = nodes(run(first));
        assertThat(before)
                .containsEntry("model.tributary_demo.stg_customers", "success")
                .containsEntry("model.tributary_demo.retry_probe", "error")
                .containsEntry("model.tributary_demo.retry_probe_total", "skipped");

        // The cause is fixed: the table the model reads exists now.
        warehouse(
                "create schema e2e_probe",
                "create table e2e_probe.input (n int)",
                "insert into e2e_probe.input values (4), (5)");
        String retry =
                new Http.Answer(
                                202,
                                pipeline.api(
                                        "transform-service",
                                        "POST",
                                        "/api/runs/" + first + "/retry",
                                        null))
                        .json()
                        .path("runId")
                        .asText();

        ReceivedEvent succeeded =
                events(
                                Topics.TRANSFORM_EVENTS,
                                forKey("s14_build")
                                        .and(type("io.tributary.transform.succeeded"))
                                        .and(e -> retry.equals(e.data().path("runId").asText())),
                                1)
                        .get(0);
        assertThat(succeeded.data().path("retryOf").asText()).isEqualTo(first);
        Map<String, String> after = nodes(run(retry));
        System.out.printf("s14: nodes of the first run %s; of its retry %s%n", before, after);
        assertThat(after)
                .containsEntry("model.tributary_demo.retry_probe", "success")
                .containsEntry("model.tributary_demo.retry_probe_total", "success")
                .doesNotContainKey("model.tributary_demo.stg_customers");
        assertThat(count("select total from ops.retry_probe_total")).isEqualTo(9);
    }

    // 15. a connection that stops syncing misses its freshness promise: one missed reaches the
    //     subscriber; its next sync keeps the promise again: one recovered
    @Test
    @Order(15)
    void aConnectionThatStopsSyncingMissesItsPromiseUntilItSyncsAgain() {
        UUID conn =
                pipeline.airbyte.addConnection(
                        "s15 orders", ConnectionScript.succeedAfter(secs(1), 500));
        hook("s15-hook", conn);
        String promise =
                expect(
                        "s15 orders every 8s",
                        Map.of("kind", "connection", "id", conn.toString()),
                        Map.of("freshness", Map.of("every", "PT8S")));
        subscribe(
                "s15-subscriber",
                List.of("io.tributary.expectation.*"),
                "data.expectationId == '" + promise + "'",
                "/s15");

        assertThat(deliver("s15-hook", "s15-delivery-1").status()).isEqualTo(202);
        events(Topics.SYNC_EVENTS, forKey(conn).and(type("io.tributary.sync.succeeded")), 1);

        // No sync for 8 s: the promise is missed, once.
        JsonNode missed = signedNotice("/s15", "io.tributary.expectation.missed").json();
        assertThat(missed.path("data").path("subjectId").asText()).isEqualTo(conn.toString());
        assertThat(missed.path("data").path("promise").asText()).isEqualTo("freshness");
        assertThat(missed.path("data").hasNonNull("lastKeptAt")).isTrue();
        assertThat(readers.get(Topics.EXPECTATION_EVENTS).drain(rec -> isKey(rec, promise), QUIET))
                .hasSize(1);

        // The next sync keeps it again.
        assertThat(deliver("s15-hook", "s15-delivery-2").status()).isEqualTo(202);
        List<Receiver.Received> notes = awaitReceived("/s15", 2);
        assertThat(notes.get(1).signatureValid()).isTrue();
        assertThat(notes.get(1).json().path("type").asText())
                .isEqualTo("io.tributary.expectation.recovered");
        assertThat(
                        events(Topics.EXPECTATION_EVENTS, forKey(promise), 2).stream()
                                .map(ReceivedEvent::type))
                .containsExactly(
                        "io.tributary.expectation.missed", "io.tributary.expectation.recovered");
    }

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
}
