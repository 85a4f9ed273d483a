package io.tributary.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.EventJson;
import io.tributary.notifier.delivery.Delivery;
import io.tributary.notifier.subscription.Subscription;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every kind of notice rendered through the Qute templates and the channels' payloads, compared
 * with {@code src/test/resources/notices/}: what the hand-built renderer produced before the
 * templates (HTML compared with the whitespace between tags ignored). The samples carry hostile
 * text ({@code <script>}, quotes, {@code <!channel>}) that must come out escaped where it matters.
 */
@QuarkusTest
class NoticeRenderingTest {
    static final String NAME = "ops <team> & 'friends'";

    @Inject NoticeRenderer renderer;

    @Test
    void everyNoticeReadsAsBeforeInEveryChannel() throws Exception {
        Subscription subscription = NoticeSamples.subscription(NAME);
        for (Map.Entry<String, Delivery> sample : NoticeSamples.all().entrySet()) {
            Notice notice = renderer.render(subscription, sample.getValue());
            String html = EmailChannel.html(notice, NAME);
            Path golden = Path.of("src/test/resources/notices", sample.getKey() + ".txt");
            if (!Files.exists(golden)) {
                // A new sample: its rendering is written for review, never accepted unread.
                Path draft = Path.of("target/notices", sample.getKey() + ".txt");
                Files.createDirectories(draft.getParent());
                Files.writeString(draft, draft(notice, html, subscription));
                throw new AssertionError("no golden file " + golden + ": review " + draft);
            }
            Map<String, String> expected = sections(Files.readString(golden));
            String name = sample.getKey() + ": ";
            assertThat(notice.headline()).as(name + "headline").isEqualTo(expected.get("headline"));
            assertThat(notice.summary()).as(name + "summary").isEqualTo(expected.get("summary"));
            assertThat(notice.severity()).as(name + "severity").isEqualTo(expected.get("severity"));
            assertThat(notice.plainText()).as(name + "plain").isEqualTo(expected.get("plain"));
            assertThat(EmailChannel.text(notice, NAME))
                    .as(name + "email text")
                    .isEqualTo(expected.get("email.txt"));
            assertThat(tags(html))
                    .as(name + "email html")
                    .isEqualTo(tags(expected.get("email.html")));
            assertThat(pretty(SlackChannel.payload(notice, NAME)))
                    .as(name + "slack")
                    .isEqualTo(expected.get("slack"));
            assertThat(pretty(TeamsChannel.payload(notice, NAME)))
                    .as(name + "teams")
                    .isEqualTo(expected.get("teams"));
            assertThat(pretty(PagerDutyChannel.payload(notice, subscription.settings())))
                    .as(name + "pagerduty")
                    .isEqualTo(expected.get("pagerduty"));
            assertThat(html).doesNotContain("<script", "<team>", "'friends'");
        }
    }

    /** A golden file's text for a notice, in the format {@link #sections} reads. */
    static String draft(Notice notice, String html, Subscription subscription) throws Exception {
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("headline", notice.headline());
        parts.put("summary", notice.summary());
        parts.put("severity", notice.severity());
        parts.put("plain", notice.plainText());
        parts.put("email.txt", EmailChannel.text(notice, NAME));
        parts.put("email.html", html);
        parts.put("slack", pretty(SlackChannel.payload(notice, NAME)));
        parts.put("teams", pretty(TeamsChannel.payload(notice, NAME)));
        parts.put("pagerduty", pretty(PagerDutyChannel.payload(notice, subscription.settings())));
        StringBuilder text = new StringBuilder();
        parts.forEach(
                (name, part) ->
                        text.append("=== ").append(name).append('\n').append(part).append('\n'));
        return text.toString();
    }

    /** HTML with the whitespace between tags and at the ends removed. */
    static String tags(String html) {
        return html.strip().replaceAll(">\\s+<", "><");
    }

    static String pretty(Object json) throws Exception {
        return EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json);
    }

    /** "=== name" lines open sections; each section's text ends before the next one's line. */
    static Map<String, String> sections(String file) {
        Map<String, String> sections = new LinkedHashMap<>();
        String name = null;
        StringBuilder text = new StringBuilder();
        for (String line : file.split("\n", -1)) {
            if (line.startsWith("=== ")) {
                if (name != null) {
                    sections.put(name, text.substring(0, text.length() - 1));
                }
                name = line.substring(4);
                text.setLength(0);
            } else {
                text.append(line).append('\n');
            }
        }
        sections.put(name, text.substring(0, Math.max(0, text.length() - 2)));
        return sections;
    }
}
