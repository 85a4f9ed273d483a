package io.tributary.console;

import static io.restassured.RestAssured.given;
import static io.tributary.console.Console.page;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TributaryTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console over HTTP on the real broker: records published to the pipeline topics become runs,
 * dead letters and counted unreadable records; every page needs a session; actions need the same
 * origin, the write scope and the CSRF token; what the events say is escaped.
 */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "console-service"),
        scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeTransformService.class, scope = TestResourceScope.GLOBAL)
class ConsoleWebTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @InjectInfrastructure Infrastructure infra;
    String reader;

    @BeforeEach
    void signIn() {
        reader = Console.signIn(Console.READ_TOKEN);
        FakeTransformService.reset();
    }

    @Test
    void aChangedOnlyRunShowsItsStreamsSelectionSkipsAndRetries() {
        Story story = Story.changedOnly();
        Console.publish(infra.kafkaBootstrapServers(), story.records);
        String e = "/runs/" + story.run('e');
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(page(reader, e).asString())
                                        .contains("dbt shop_marts · retry"));
        String html = page(reader, e).asString();
        assertThat(html)
                .contains("changed: <code>public.orders: 3</code>")
                .contains("unchanged: public.customers, public.&lt;script&gt;")
                .contains("not reported: public.refunds")
                .contains(
                        "selection <code>source:shop.orders+</code> — changed streams: public.orders &lt;script&gt;")
                .contains("changed streams: <code>public.orders</code>")
                .contains("retries <a href=\"#dbt-" + story.dbtRun('e', 1) + "\">")
                .contains("retried by <a href=\"#dbt-" + story.dbtRun('e', 2) + "\">")
                .contains(
                        "ran as Kubernetes <code>Job dbt-shop-marts-"
                                + story.tag
                                + " · pod dbt-shop-marts-x7k2p&lt;script&gt;")
                .contains("id=\"dbt-" + story.dbtRun('e', 1) + "\"")
                .contains("shop_marts <span class=\"muted\">(retried)</span>")
                .doesNotContain(Story.SCRIPT);

        String f = "/runs/" + story.run('f');
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(page(reader, f).asString()).contains("skipped"));
        assertThat(page(reader, f).asString())
                .contains("no stream of the triggering syncs committed records (public.orders: 0)")
                .contains(
                        "selection <code>none: no dbt run</code> — select: changed, and no stream changed")
                .contains("changed streams: none")
                .contains("no stream committed records");
    }

    @Test
    void retryFailedNodesAsksTheTransformServiceAndShowsItsAnswer() {
        Story story = Story.changedOnly();
        Console.publish(infra.kafkaBootstrapServers(), story.records);
        String writer = Console.signIn(Console.WRITE_TOKEN);
        String g = "/runs/" + story.run('g');
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(page(writer, g).asString())
                                        .contains("Retry failed nodes"));
        assertThat(page(reader, g).asString())
                .as("read scope")
                .doesNotContain("Retry failed nodes")
                .doesNotContain("(retried)");
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(page(writer, "/runs/" + story.run('e')).asString())
                                        .contains("retried by")
                                        .as("already retried")
                                        .doesNotContain("Retry failed nodes"));
        String failed = story.dbtRun('g', 1);
        String action = "/actions/dbt-runs/" + failed + "/retry";
        String csrf = csrf(page(writer, g).asString());

        assertThat(retry(writer, action, null).statusCode()).isEqualTo(403);
        assertThat(retry(writer, action, "forged-" + csrf).statusCode()).isEqualTo(403);
        assertThat(retry(reader, action, csrf(page(reader, "/").asString())).statusCode())
                .isEqualTo(403);
        assertThat(FakeTransformService.RECEIVED).as("nothing reached the owner").isEmpty();

        FakeTransformService.answer(
                202,
                "{\"runId\":\"retry-run-42\",\"status\":\"queued\",\"retryOf\":\""
                        + failed
                        + "\"}");
        Response queued = retry(writer, action, csrf);
        assertThat(queued.statusCode()).isEqualTo(200);
        assertThat(queued.asString())
                .contains("dbt retry queued as run retry-run-42")
                .contains("href=\"/runs/back-here\"");
        assertThat(FakeTransformService.RECEIVED)
                .containsExactly(
                        new FakeTransformService.Received(
                                "POST",
                                "/api/runs/" + failed + "/retry",
                                "Bearer " + Console.SERVICE_TOKEN));

        FakeTransformService.answer(
                409,
                "{\"status\":409,\"detail\":\"transform shop_marts already has a queued run <b>\"}");
        Response conflict = retry(writer, action, csrf);
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.asString())
                .contains(
                        "transform-service answered 409: transform shop_marts already has a queued run &lt;b&gt;");

        FakeTransformService.answer(404, "{\"status\":404,\"detail\":\"no run " + failed + "\"}");
        Response unknown = retry(writer, action, csrf);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.asString()).contains("transform-service answered 404: no run " + failed);

        FakeTransformService.hang();
        Response hung = retry(writer, action, csrf);
        FakeTransformService.release();
        assertThat(hung.statusCode()).isEqualTo(503);
        assertThat(hung.asString()).contains("transform-service did not answer within 2000 ms");
    }

    private static Response retry(String session, String action, String csrf) {
        var request =
                given().redirects()
                        .follow(false)
                        .cookie("tributary_session", session)
                        .contentType("application/x-www-form-urlencoded")
                        .formParam("back", "/runs/back-here");
        if (csrf != null) {
            request.formParam("csrf", csrf);
        }
        return request.post(action);
    }

    @Test
    void publishedEventsBecomeRunsWithEscapedMessages() {
        Story story = Story.fourRuns();
        Console.publish(infra.kafkaBootstrapServers(), story.records);

        String run = "/runs/" + story.run('a');
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(page(reader, run).statusCode()).isEqualTo(200));
        // Its events come from three topics: wait until all of them are in.
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(page(reader, run).asString())
                                        .contains("not_null_orders_customer_id")
                                        .contains("120 rows")
                                        .contains("shop_marts")
                                        .contains("notify slack"));
        String html = page(reader, run).asString();
        assertThat(html).contains("failed");
        assertThat(html).doesNotContain(Story.SCRIPT);
        assertThat(html).contains("&lt;script&gt;window.__pwned = 1&lt;/script&gt;");

        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(page(reader, "/runs/" + story.run('d')).asString())
                                        .contains("waiting"));
        String failed = page(reader, "/runs?status=failed").asString();
        assertThat(failed).contains(story.run('a')).contains(story.run('c'));
        assertThat(failed).doesNotContain(story.run('d'));
        String byTrigger = page(reader, "/runs?trigger=schedule").asString();
        assertThat(byTrigger).contains(story.run('b')).doesNotContain(story.run('a'));
        assertThat(page(reader, "/").asString()).contains(story.run('c').substring(0, 4));
    }

    @Test
    void deadLettersAndUnreadableRecordsAreShownNotFatal() {
        var headers = new RecordHeaders();
        headers.add(
                "dead-letter-reason",
                "data does not match the schema: <b>jobType</b>".getBytes(StandardCharsets.UTF_8));
        headers.add(
                "dead-letter-topic", "tributary.sync.requests".getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-partition", "1".getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-offset", "42".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<String, byte[]> dead =
                new ProducerRecord<>(
                        "tributary.sync-monitor-service.dlq",
                        null,
                        "conn-x",
                        "{\"bad\":true}".getBytes(StandardCharsets.UTF_8),
                        headers);
        ProducerRecord<String, byte[]> junk =
                new ProducerRecord<>(
                        "tributary.sync.events",
                        "k",
                        "\u0000not a cloud event".getBytes(StandardCharsets.UTF_8));
        Story after = Story.fourRuns();
        Console.publish(infra.kafkaBootstrapServers(), List.of(dead, junk));
        Console.publish(infra.kafkaBootstrapServers(), after.records);

        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(page(reader, "/dead-letters").asString())
                                        .contains("tributary.sync-monitor-service.dlq")
                                        .contains("&lt;b&gt;jobType&lt;/b&gt;")
                                        .contains("p1@42"));
        // The poison record did not stop the consumer: the records after it were projected.
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(page(reader, "/runs/" + after.run('d')).statusCode())
                                        .isEqualTo(200));
        assertThat(page(reader, "/").asString())
                .contains("unreadable record(s) on tributary.sync.events");
    }

    @Test
    void everyPageNeedsASession() {
        Response anonymous = given().redirects().follow(false).get("/runs");
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.header("Location")).endsWith("/signin?next=%2Fruns");
        Response forged = page("forged-session-value", "/");
        assertThat(forged.statusCode()).isEqualTo(303);
        assertThat(given().get("/signin").statusCode()).isEqualTo(200);
        assertThat(page(reader, "/").statusCode()).isEqualTo(200);
    }

    @Test
    void signInRefusesUnknownTokensAndSetsAStrictHttpOnlyCookie() {
        Response bad =
                given().redirects()
                        .follow(false)
                        .contentType("application/x-www-form-urlencoded")
                        .formParam("token", "not-a-token-of-ours-at-all")
                        .post("/signin");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.asString()).contains("This token is not valid.");
        assertThat(bad.getCookie("tributary_session")).isNull();

        Response good =
                given().redirects()
                        .follow(false)
                        .contentType("application/x-www-form-urlencoded")
                        .formParam("token", Console.WRITE_TOKEN)
                        .formParam("next", "//evil.example/phish")
                        .post("/signin");
        assertThat(good.statusCode()).isEqualTo(303);
        assertThat(good.header("Location")).as("no open redirect").endsWith("/");
        String setCookie = good.header("Set-Cookie");
        assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
        assertThat(setCookie).doesNotContain(Console.WRITE_TOKEN);
        assertThat(page(good.getCookie("tributary_session"), "/").asString()).contains("operator");
    }

    @Test
    void actionsNeedTheSameOriginAndTheCsrfToken() {
        String writer = Console.signIn(Console.WRITE_TOKEN);
        Response noCsrf =
                given().redirects()
                        .follow(false)
                        .cookie("tributary_session", writer)
                        .contentType("application/x-www-form-urlencoded")
                        .formParam("csrf", "guessed")
                        .post("/signout");
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(page(writer, "/").statusCode()).as("still signed in").isEqualTo(200);

        String csrf = csrf(page(writer, "/").asString());
        Response crossSite =
                given().redirects()
                        .follow(false)
                        .cookie("tributary_session", writer)
                        .header("Origin", "https://evil.example")
                        .contentType("application/x-www-form-urlencoded")
                        .formParam("csrf", csrf)
                        .post("/signout");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(page(writer, "/").statusCode()).isEqualTo(200);

        Response out =
                given().redirects()
                        .follow(false)
                        .cookie("tributary_session", writer)
                        .contentType("application/x-www-form-urlencoded")
                        .formParam("csrf", csrf)
                        .post("/signout");
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(page(writer, "/").statusCode()).as("the session is gone").isEqualTo(303);
    }

    @Test
    void badInputGetsAClearPageNotAStackTrace() {
        Response unknown = page(reader, "/runs/no-such-run");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.asString()).contains("There is no run with this correlation id");
        Response badStatus = page(reader, "/runs?status=exploded");
        assertThat(badStatus.statusCode()).isEqualTo(400);
        assertThat(badStatus.asString()).contains("unknown status");
        assertThat(page(reader, "/runs?from=yesterday").statusCode()).isEqualTo(400);
        assertThat(page(reader, "/runs?after=garbage").statusCode()).isEqualTo(400);
        Response headers = page(reader, "/");
        assertThat(headers.header("Content-Security-Policy")).contains("script-src 'self'");
        assertThat(headers.header("X-Frame-Options")).isEqualTo("DENY");
    }

    @Test
    void pagesBackedByADownOwnerSayWhichAndShowTheRest() {
        Story story = Story.fourRuns();
        Console.publish(infra.kafkaBootstrapServers(), story.records);
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(page(reader, "/connections").asString())
                                        .contains("sync-monitor-service is unreachable")
                                        .contains("c0ffee00-0000-4000-8000-" + story.tag + "0001"));
        assertThat(page(reader, "/transforms").asString())
                .contains("transform-service is unreachable")
                .contains("shop_marts");
        Response definitions = page(reader, "/definitions");
        assertThat(definitions.statusCode()).isEqualTo(200);
        assertThat(definitions.asString())
                .contains("trigger-service is unreachable")
                .contains("notifier-service is unreachable");
        assertThat(page(reader, "/transforms/shop_marts").asString())
                .contains("transform-service is unreachable");
        assertThat(page(reader, "/transforms/..%2Fetc").statusCode()).isEqualTo(404);
        // A read-only session sees no action buttons.
        assertThat(page(reader, "/connections").asString()).doesNotContain("Sync now");
    }

    @Test
    void aReadOnlySessionCannotAct() {
        String csrf = csrf(page(reader, "/").asString());
        Response sync =
                given().redirects()
                        .follow(false)
                        .cookie("tributary_session", reader)
                        .contentType("application/x-www-form-urlencoded")
                        .formParam("csrf", csrf)
                        .formParam("key", "0123456789abcdef")
                        .formParam("jobs", "sync")
                        .post("/actions/connections/c0ffee00-0000-4000-8000-000000000001/sync");
        assertThat(sync.statusCode()).isEqualTo(403);
        assertThat(sync.asString()).contains("read scope");
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no CSRF field on the page");
        }
        return m.group(1);
    }
}
