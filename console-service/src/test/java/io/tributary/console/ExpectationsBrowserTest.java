package io.tributary.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.local.TributaryTestResource;
import java.net.URL;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The expectations pages in the real Chromium of {@link BrowserTest} (its launch and screenshots
 * folder), with {@link ExpectationsPageTest}'s script: a missed expectation stands out, a name
 * holding a script tag reads as text. Screenshots {@code expectations.png} and {@code
 * expectation.png} in {@code target/screenshots/}.
 */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "console-service"),
        scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeNotifierService.class, scope = TestResourceScope.GLOBAL)
class ExpectationsBrowserTest {
    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void launch() throws Exception {
        BrowserTest.launch();
    }

    @AfterAll
    static void close() {
        BrowserTest.close();
    }

    @Test
    void theListAndAMissedExpectationsPage() {
        FakeNotifierService.reset();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ExpectationsPageTest.script(now);
        try (BrowserContext context =
                BrowserTest.browser.newContext(
                        new com.microsoft.playwright.Browser.NewContextOptions()
                                .setViewportSize(1280, 800))) {
            Page page = context.newPage();
            page.navigate(url("/signin#token=" + Console.READ_TOKEN));
            page.waitForURL(url("/"));
            // The notifier's answers of a test before may be reused for a few seconds.
            Locator missed = page.locator("table.expectations tr.missed");
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(20))
                    .until(
                            () -> {
                                page.navigate(url("/expectations"));
                                return missed.count() == 2;
                            });
            assertThat(missed.locator(".badge.s-failed"))
                    .hasText(new String[] {"missed", "missed"});
            assertThat(page.locator("table.expectations"))
                    .containsText("<script>alert(1)</script> volume");
            BrowserTest.shot(page, "expectations");

            page.locator("a", new Page.LocatorOptions().setHasText("Marts by 07:00 in Paris"))
                    .click();
            page.waitForURL(url("/expectations/marts-by-7"));
            assertThat(page.locator("table.history tbody tr")).hasCount(3);
            BrowserTest.shot(page, "expectation");

            page.navigate(url("/"));
            assertThat(page.locator("a.missed-since")).hasText("2 missed expectation(s)");

            page.setViewportSize(390, 844);
            page.navigate(url("/expectations"));
            assertThat(missed).hasCount(2);
            BrowserTest.shot(page, "expectations-phone");
        }
    }

    private String url(String path) {
        String b = base.toString();
        return (b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path;
    }
}
