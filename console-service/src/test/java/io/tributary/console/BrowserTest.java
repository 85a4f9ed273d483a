package io.tributary.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.EventType;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TributaryTestResource;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console in a real Chromium (Debian's {@code chromium}, driven by Playwright): sign in with
 * the one-click URL, watch a run go from running to succeeded without reloading, read a failed run
 * whose messages hold script tags (shown as text, never run). Screenshots go to {@code
 * target/screenshots/}.
 */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "console-service"),
        scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeTransformService.class, scope = TestResourceScope.GLOBAL)
class BrowserTest {
    static final Path CHROMIUM =
            Path.of(System.getProperty("tributary.chromium", "/usr/bin/chromium"));
    static final Path SHOTS = Path.of("target", "screenshots");

    static Playwright playwright;
    static Browser browser;

    @InjectInfrastructure Infrastructure infra;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void launch() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(
                    CHROMIUM + " is missing: install Debian's chromium (apt-get install chromium)");
        }
        Files.createDirectories(SHOTS);
        playwright =
                Playwright.create(
                        new Playwright.CreateOptions()
                                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser =
                playwright
                        .chromium()
                        .launch(
                                new BrowserType.LaunchOptions()
                                        .setExecutablePath(CHROMIUM)
                                        .setHeadless(true)
                                        .setArgs(
                                                List.of(
                                                        "--no-sandbox",
                                                        "--disable-gpu",
                                                        "--disable-quic",
                                                        "--no-first-run",
                                                        "--disable-background-networking",
                                                        "--disable-component-update",
                                                        "--disable-sync")));
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    private Page signedIn(BrowserContext context) {
        Page page = context.newPage();
        page.navigate(url("/signin#token=" + Console.WRITE_TOKEN));
        page.waitForURL(url("/"));
        assertThat(page.locator("h1")).hasText("Overview");
        return page;
    }

    @Test
    void aRunningRunsPageFollowsItToItsEndWithoutReloading() {
        // Today's clock: how long an ended run's page keeps following it depends on its events'
        // times.
        Story s = new Story().fromNow();
        String corr = "run-live-" + s.tag;
        String conn = "c0ffee00-0000-4000-8000-" + s.tag + "00aa";
        String req = "req-live-" + s.tag;
        s.requested(req, conn, corr, "webhook", "demo-shop");
        s.at(1);
        s.started(77, conn, corr, req);
        Console.publish(infra.kafkaBootstrapServers(), s.records);

        try (BrowserContext context =
                browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page page = signedIn(context);
            shot(page, "overview");
            page.navigate(url("/runs/" + corr));
            Locator badge = page.locator(".run-head .badge");
            assertThat(badge)
                    .hasText("running", new LocatorAssertions.HasTextOptions().setTimeout(30_000));
            shot(page, "run-running");
            // An action brought in by a live refresh still asks first (dismissed: nothing sent).
            page.evaluate("() => document.querySelector('table.steps').dataset.old = 'yes'");
            page.waitForFunction("() => !document.querySelector('table.steps[data-old]')");
            List<String> asked = new ArrayList<>();
            page.onceDialog(
                    dialog -> {
                        asked.add(dialog.message());
                        dialog.dismiss();
                    });
            page.locator("button", new Page.LocatorOptions().setHasText("Cancel job")).click();
            assertThat(asked).containsExactly("Cancel Airbyte job 77?");
            assertThat(page.url()).endsWith("/runs/" + corr);

            int published = s.records.size();
            s.at(30);
            s.ended(EventType.SYNC_SUCCEEDED, 77, conn, corr, 500L, null, null, req);
            String before = page.url();
            Console.publish(
                    infra.kafkaBootstrapServers(),
                    new ArrayList<>(s.records.subList(published, s.records.size())));
            // The sync's end ends the run for now...
            assertThat(badge)
                    .hasText(
                            "succeeded", new LocatorAssertions.HasTextOptions().setTimeout(30_000));
            // ...and the dbt run it triggers arrives a moment later: the page still follows.
            published = s.records.size();
            s.at(1);
            s.transform(
                    EventType.TRANSFORM_STARTED,
                    "shop_marts",
                    "dbt-live-" + s.tag,
                    corr,
                    List.of(corr),
                    null,
                    null);
            s.at(7);
            s.transform(
                    EventType.TRANSFORM_SUCCEEDED,
                    "shop_marts",
                    "dbt-live-" + s.tag,
                    corr,
                    List.of(corr),
                    null,
                    null);
            List<ProducerRecord<String, byte[]>> rest =
                    new ArrayList<>(s.records.subList(published, s.records.size()));
            Console.publish(infra.kafkaBootstrapServers(), rest);

            assertThat(page.locator("table.steps"))
                    .containsText(
                            "dbt shop_marts",
                            new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
            assertThat(badge).hasText("succeeded");
            assertThat(page.url()).isEqualTo(before);
            assertThat(page.locator("table.steps")).containsText("500 rows");
            shot(page, "run-succeeded-live");

            page.navigate(url("/runs"));
            assertThat(page.locator("table.runs")).containsText("webhook");
            shot(page, "runs");
        }
    }

    @Test
    void aFailedRunShowsItsFailingTestAndScriptTagsAsText() {
        Story s = Story.fourRuns();
        Console.publish(infra.kafkaBootstrapServers(), s.records);
        try (BrowserContext context =
                browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page page = signedIn(context);
            page.navigate(url("/runs/" + s.run('a')));
            assertThat(page.locator(".run-head .badge"))
                    .hasText("failed", new LocatorAssertions.HasTextOptions().setTimeout(30_000));
            Locator nodes = page.locator("table.nodes");
            assertThat(nodes).containsText("test.shop.not_null_orders_customer_id");
            assertThat(nodes)
                    .containsText("Got 1 result, configured to fail if != 0 " + Story.SCRIPT);
            assertThat(page.evaluate("() => window.__pwned === undefined")).isEqualTo(true);
            page.locator("details.raw summary").first().click();
            shot(page, "run-failed");

            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .until(
                            () -> {
                                page.navigate(url("/runs/" + s.run('c')));
                                return page.locator(".run-head .alert").count() == 1;
                            });
            assertThat(page.locator(".run-head .alert"))
                    .containsText("Airbyte has no connection " + Story.SCRIPT);
            assertThat(page.evaluate("() => window.__pwned === undefined")).isEqualTo(true);

            page.setViewportSize(390, 844);
            page.navigate(url("/runs/" + s.run('a')));
            shot(page, "run-failed-phone");
        }
    }

    @Test
    void aChangedOnlyRunShowsWhatChangedASkipAndRetriesTheFailedNodes() {
        FakeTransformService.reset();
        Story s = Story.changedOnly();
        Console.publish(infra.kafkaBootstrapServers(), s.records);
        try (BrowserContext context =
                browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page page = signedIn(context);
            Locator steps = page.locator("table.steps");
            showsAll(page, "/runs/" + s.run('e'), "retried by");
            assertThat(steps).containsText("dbt shop_marts · retry");
            assertThat(steps)
                    .containsText(
                            "selection dbt retry: the failed and skipped nodes of the run it retries");
            shot(page, "run-retried");

            showsAll(page, "/runs/" + s.run('f'), "skipped");
            assertThat(page.locator("table.steps .badge.s-skipped")).hasText("skipped");
            assertThat(steps)
                    .containsText(
                            "no stream of the triggering syncs committed records (public.orders: 0)");
            assertThat(steps)
                    .containsText(
                            "selection none: no dbt run — select: changed, and no stream changed");
            shot(page, "run-skipped");

            showsAll(page, "/runs/" + s.run('g'), "Retry failed nodes");
            assertThat(steps).containsText("changed: public.orders: 3");
            assertThat(steps).containsText("unchanged: public.customers, public." + Story.SCRIPT);
            assertThat(steps)
                    .containsText(
                            "selection source:shop.orders+ — changed streams: public.orders "
                                    + Story.SCRIPT);
            assertThat(page.evaluate("() => window.__pwned === undefined")).isEqualTo(true);
            shot(page, "run-changed-only");

            String failed = s.dbtRun('g', 1);
            FakeTransformService.answer(
                    202,
                    "{\"runId\":\"retry-run-7\",\"status\":\"queued\",\"retryOf\":\""
                            + failed
                            + "\"}");
            List<String> asked = new ArrayList<>();
            page.onceDialog(
                    dialog -> {
                        asked.add(dialog.message());
                        dialog.accept();
                    });
            page.locator("button", new Page.LocatorOptions().setHasText("Retry failed nodes"))
                    .click();
            assertThat(page.locator(".outcome"))
                    .containsText(
                            "dbt retry queued as run retry-run-7: only the failed and skipped nodes of run "
                                    + failed);
            assertThat(asked)
                    .containsExactly(
                            "Run dbt retry: only the failed and skipped nodes of this run?");
            assertThat(FakeTransformService.RECEIVED)
                    .extracting(FakeTransformService.Received::path)
                    .containsExactly("/api/runs/" + failed + "/retry");
            shot(page, "retry-queued");
            page.locator(".outcome a", new Page.LocatorOptions().setHasText("Back")).click();
            page.waitForURL(url("/runs/" + s.run('g')));
        }
    }

    /** Opens a run's page until it shows this text: its events come from several topics. */
    private void showsAll(Page page, String path, String text) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(
                        () -> {
                            page.navigate(url(path));
                            return page.locator("#run").innerText().contains(text);
                        });
    }

    @Test
    void aReadOnlyTokenSeesPagesAndAForgedSessionIsSentToSignIn() {
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            page.navigate(url("/runs"));
            page.waitForURL("**/signin?next=%2Fruns");
            shot(page, "signin");
            page.locator("#token").fill("wrong-token-0123456789");
            page.locator("#signin button").click();
            assertThat(page.locator(".alert")).hasText("This token is not valid.");
            page.locator("#token").fill(Console.READ_TOKEN);
            page.locator("#signin button").click();
            page.waitForURL(url("/runs"));
            assertThat(page.locator("h1")).hasText("Runs");
            assertThat(page.locator(".who")).containsText("viewer · read");
        }
    }

    private String url(String path) {
        String b = base.toString();
        return (b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path;
    }

    static void shot(Page page, String name) {
        page.screenshot(
                new Page.ScreenshotOptions()
                        .setPath(SHOTS.resolve(name + ".png"))
                        .setFullPage(true));
    }
}
