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
import io.tributary.console.web.Formats;
import io.tributary.local.TributaryTestResource;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The expectations pages over HTTP, against {@link FakeNotifierService} in the notifier's (and the
 * sync-monitor's) place: each state shown, a missed one marked, its history, every value escaped,
 * and a down or hung notifier named on a page that still answers.
 */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "console-service"),
        scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeNotifierService.class, scope = TestResourceScope.GLOBAL)
class ExpectationsPageTest {
    /** Owners' answers are reused for 5 s: a changed script shows within this. */
    private static final Duration WAIT = Duration.ofSeconds(20);

    static final String CONNECTION = "9a1c0000-0000-4000-8000-00000000e001";
    static final String UNNAMED = "9a1c0000-0000-4000-8000-00000000e002";

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private Times t;
    private String reader;

    @BeforeEach
    void signIn() {
        FakeNotifierService.reset();
        t = script(now);
        reader = Console.signIn(Console.READ_TOKEN);
    }

    @AfterEach
    void release() {
        FakeNotifierService.release();
    }

    /**
     * The script's times: the deadline promise's fires are the real 07:00s in Paris around now (the
     * one before the last was kept, the last was missed).
     */
    record Times(Instant now, Instant fireBefore, Instant lastFire, Instant nextFire) {
        static Times at(Instant now) {
            ZoneId paris = ZoneId.of("Europe/Paris");
            ZonedDateTime today = now.atZone(paris).toLocalDate().atTime(7, 0).atZone(paris);
            ZonedDateTime last = today.toInstant().isAfter(now) ? today.minusDays(1) : today;
            return new Times(
                    now,
                    last.minusDays(1).toInstant(),
                    last.toInstant(),
                    last.plusDays(1).toInstant());
        }

        Instant keptBefore() {
            return fireBefore.minus(Duration.ofMinutes(20));
        }
    }

    /** Four expectations (kept, missed twice, not judged yet) and their histories. */
    static Times script(Instant now) {
        Times t = Times.at(now);
        FakeNotifierService.answer(
                "/api/connections",
                200,
                """
                [{"connectionId":"%s","name":"Shop orders (Postgres)","status":"active"}]
                """
                        .formatted(CONNECTION));
        FakeNotifierService.answer(
                "/api/expectations",
                200,
                """
                [{"id":"orders-fresh","name":"Orders every 6 hours",
                  "subject":{"kind":"connection","id":"%1$s"},"freshness":{"every":"PT6H"},
                  "enabled":true,"origin":"api","createdAt":"%3$s","updatedAt":"%3$s",
                  "state":"kept","lastKeptAt":"%4$s","nextDeadlineAt":"%5$s","missedAt":null},
                 {"id":"marts-by-7","name":"Marts by 07:00 in Paris",
                  "subject":{"kind":"transform","id":"shop_marts"},
                  "deadline":{"cron":"0 7 * * *","timeZone":"Europe/Paris"},
                  "enabled":true,"origin":"file","createdAt":"%3$s","updatedAt":"%3$s",
                  "state":"missed","lastKeptAt":"%6$s","nextDeadlineAt":"%7$s","missedAt":"%8$s"},
                 {"id":"orders-volume","name":"<script>alert(1)</script> volume",
                  "subject":{"kind":"connection","id":"%1$s"},
                  "volume":{"minRows":100,"fraction":0.1,"history":10},
                  "enabled":true,"origin":"api","createdAt":"%3$s","updatedAt":"%3$s",
                  "state":"unknown"},
                 {"id":"customers-fresh","name":"Customers every 30 minutes",
                  "subject":{"kind":"connection","id":"%2$s"},"freshness":{"every":"PT30M"},
                  "enabled":false,"origin":"api","createdAt":"%3$s","updatedAt":"%3$s",
                  "state":"missed","lastKeptAt":"%9$s","nextDeadlineAt":null,"missedAt":"%10$s"}]
                """
                        .formatted(
                                CONNECTION,
                                UNNAMED,
                                now.minus(Duration.ofDays(3)),
                                now.minus(Duration.ofHours(1)),
                                now.plus(Duration.ofHours(5)),
                                t.keptBefore(),
                                t.nextFire(),
                                t.lastFire().plusSeconds(1),
                                now.minus(Duration.ofMinutes(70)),
                                now.minus(Duration.ofMinutes(40))));
        FakeNotifierService.answer(
                "/api/expectations/marts-by-7/history?limit=50",
                200,
                """
                [{"eventId":"ev-3","type":"missed","at":"%1$s","deadline":"%2$s",
                  "lastKeptAt":"%3$s","lateBy":"PT1S",
                  "message":"no successful run of shop_marts since %4$s <b>UTC</b>"},
                 {"eventId":"ev-2","type":"recovered","at":"%3$s","lastKeptAt":"%3$s",
                  "message":"shop_marts succeeded"},
                 {"eventId":"ev-1","type":"missed","at":"%5$s","deadline":"%6$s",
                  "lateBy":"PT12M","message":"no successful run of shop_marts"}]
                """
                        .formatted(
                                t.lastFire().plusSeconds(1),
                                t.lastFire(),
                                t.keptBefore(),
                                Formats.utc(t.keptBefore()),
                                t.fireBefore()
                                        .minus(Duration.ofDays(1))
                                        .plus(Duration.ofMinutes(12)),
                                t.fireBefore().minus(Duration.ofDays(1))));
        FakeNotifierService.answer(
                "/api/expectations/orders-volume/history?limit=50",
                200,
                """
                [{"eventId":"ev-9","type":"missed","at":"%s","rowsSynced":12,"medianRows":1000,
                  "threshold":100,"jobId":4711,"correlationId":"run-4711","message":"12 rows, below 100"},
                 {"eventId":"ev-8","type":"recovered","at":"%1$s","correlationId":"../admin","message":"x"}]
                """
                        .formatted(now.minus(Duration.ofHours(3))));
        FakeNotifierService.answer(
                "/api/expectations/nope/history?limit=50",
                404,
                "{\"status\":404,\"title\":\"Not Found\",\"detail\":\"no expectation nope\"}");
        return t;
    }

    @Test
    void theListShowsEachExpectationItsPromiseAndStateAndMarksTheMissedOnes() {
        String html = shown("/expectations", utc(now.plus(Duration.ofHours(5))));
        assertThat(html)
                // the promises in words, the subjects linked (by name when the monitor knows it)
                .contains("succeeds at least every 6 h")
                .contains("succeeds at least every 30 min")
                .contains(
                        "by each fire of <code>0 7 * * *</code> (Europe/Paris), succeeded since the one before")
                .contains(
                        "each successful sync has at least 100 rows and 10 % of the median of the last 10")
                .contains(
                        "<a href=\"/runs?connection="
                                + CONNECTION
                                + "\">Shop orders (Postgres)</a>")
                .contains("<a href=\"/runs?connection=" + UNNAMED + "\">" + UNNAMED + "</a>")
                .contains("<a href=\"/transforms/shop_marts\">shop_marts</a>")
                // each state, the missed ones marked, with since when
                .contains("<span class=\"badge s-succeeded\">kept</span>")
                .contains("<span class=\"badge s-unknown\">unknown</span>")
                .contains("missed since <span class=\"nowrap\">" + utc(t.lastFire().plusSeconds(1)))
                .contains(
                        "missed since <span class=\"nowrap\">"
                                + utc(now.minus(Duration.ofMinutes(40))))
                .contains("<span class=\"n\">2</span> missed")
                .contains("after the next success")
                .contains(utc(now.plus(Duration.ofHours(5))) + " UTC</span><br>")
                .contains("<span class=\"badge\">disabled</span>")
                // escaped, never run
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; volume")
                .doesNotContain("<script>alert");
        assertThat(html.split("<tr class=\"missed\">", -1)).hasSize(3);
        // missed first
        assertThat(html.indexOf("Marts by 07:00")).isLessThan(html.indexOf("Orders every 6 hours"));
        assertThat(FakeNotifierService.AUTHORIZATIONS)
                .as("the console's service token")
                .isNotEmpty()
                .allMatch(a -> a.equals("Bearer " + Console.SERVICE_TOKEN));

        assertThat(page(reader, "/").asString())
                .contains(
                        "<a class=\"missed-since\" href=\"/expectations\">2 missed expectation(s)</a>");
    }

    @Test
    void anExpectationsPageShowsItsDefinitionStateAndHistory() {
        String html =
                shown(
                        "/expectations/marts-by-7",
                        utc(t.nextFire()),
                        utc(t.fireBefore().minus(Duration.ofDays(1))) + " UTC</td>");
        assertThat(html)
                .contains("<a href=\"/transforms/shop_marts\">shop_marts</a>")
                .contains("in the notifier's YAML file")
                .contains("<section class=\"card missed\">")
                .contains("missed since " + utc(t.lastFire().plusSeconds(1)) + " UTC")
                .contains("Next deadline: " + utc(t.nextFire()) + " UTC")
                // three events, newest first, the message escaped
                .contains("<span class=\"badge s-succeeded\">recovered</span>")
                .contains("<td class=\"nowrap\">1.0 s</td>")
                .contains("<td class=\"nowrap\">12 min 00 s</td>")
                .contains(
                        "no successful run of shop_marts since "
                                + utc(t.keptBefore())
                                + " &lt;b&gt;UTC&lt;/b&gt;")
                .doesNotContain("<b>UTC");
        assertThat(html.split("<span class=\"badge s-failed\">missed</span>", -1)).hasSize(4);
        assertThat(html.indexOf(utc(t.lastFire().plusSeconds(1)) + " UTC</td>"))
                .isLessThan(html.indexOf(utc(t.keptBefore()) + " UTC</td>"))
                .isLessThan(
                        html.indexOf(utc(t.fireBefore().minus(Duration.ofDays(1))) + " UTC</td>"));

        String volume = shown("/expectations/orders-volume", utc(now.minus(Duration.ofHours(3))));
        assertThat(volume)
                .contains("Expectation &lt;script&gt;alert(1)&lt;/script&gt; volume")
                .contains("12 rows · median 1,000 · threshold 100")
                .contains("job 4711")
                .contains("<a href=\"/runs/run-4711\">the run</a>")
                .doesNotContain("/runs/../admin")
                .contains("<span class=\"badge s-unknown\">unknown</span>")
                .doesNotContain("<script>alert");

        Response unknown = page(reader, "/expectations/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.asString()).contains("The notifier-service has no expectation nope.");
        assertThat(page(reader, "/expectations/..%2Fapi").statusCode()).isEqualTo(404);
    }

    @Test
    void aDownOrHungNotifierIsNamedAndThePageStillAnswers() {
        FakeNotifierService.reset();
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(page(reader, "/expectations").asString())
                                        .contains("notifier-service is unreachable: "));
        shown(
                "/expectations/marts-by-7",
                "notifier-service is unreachable: ",
                "Not available: the notifier-service did not answer.");
        assertThat(page(reader, "/expectations/marts-by-7").statusCode()).isEqualTo(200);

        FakeNotifierService.hang();
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            Response hung = page(reader, "/expectations");
                            assertThat(hung.statusCode()).isEqualTo(200);
                            assertThat(hung.asString())
                                    .contains("notifier-service did not answer within 2000 ms");
                        });
        assertThat(page(reader, "/expectations/orders-fresh").asString())
                .contains("notifier-service did not answer within 2000 ms");
    }

    @Test
    void thePagesNeedASignIn() {
        Response anonymous = given().redirects().follow(false).get("/expectations/marts-by-7");
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.header("Location"))
                .endsWith("/signin?next=%2Fexpectations%2Fmarts-by-7");
    }

    /**
     * The page once it shows this test's script (a time of it): the owners' answers of the test
     * before may still be reused for a few seconds.
     */
    private String shown(String path, String... texts) {
        return await().atMost(WAIT)
                .until(
                        () -> page(reader, path).asString(),
                        html -> java.util.Arrays.stream(texts).allMatch(html::contains));
    }

    private static String utc(Instant t) {
        return Formats.utc(t);
    }
}
