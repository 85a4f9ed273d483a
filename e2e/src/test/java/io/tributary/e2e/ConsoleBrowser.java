package io.tributary.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium driven by Playwright (no browser download), one context per user: what a person
 * does in the console. Screenshots go to {@code target/screenshots/}.
 */
final class ConsoleBrowser implements AutoCloseable {
    static final Path CHROMIUM =
            Path.of(System.getProperty("tributary.chromium", "/usr/bin/chromium"));
    static final Path SHOTS = Path.of("target", "screenshots");

    private final Playwright playwright;
    private final Browser browser;
    final BrowserContext context;
    final Page page;
    private final String base;

    ConsoleBrowser(String base) {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(
                    CHROMIUM + " is missing: install Debian's chromium (apt-get install chromium)");
        }
        try {
            Files.createDirectories(SHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
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
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        page = context.newPage();
        // Every action asks for confirmation: the person says yes.
        page.onDialog(d -> d.accept());
    }

    String url(String path) {
        return base + path;
    }

    void open(String path) {
        page.navigate(url(path));
    }

    void shot(String name) {
        page.screenshot(
                new Page.ScreenshotOptions()
                        .setPath(SHOTS.resolve(name + ".png"))
                        .setFullPage(true));
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
