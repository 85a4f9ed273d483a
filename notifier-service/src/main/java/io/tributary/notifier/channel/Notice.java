package io.tributary.notifier.channel;

import java.time.Instant;
import java.util.List;

/**
 * A message for people, independent of the channel: what broke, where and why, with counts,
 * durations and links. Channels turn it into Slack blocks, an Adaptive Card, an email or a
 * PagerDuty event.
 *
 * @param kind alert, info, recovery or test
 * @param headline one short line, e.g. "Sync failed: connection 3f2c…"
 * @param summary the why in one or two sentences (Airbyte's error, the failing dbt node)
 * @param details more lines (further failing nodes), may be empty
 * @param severity critical, error, warning or info (PagerDuty's scale)
 * @param dedupKey one per subject, e.g. {@code tributary:connection:<id>} (PagerDuty)
 */
public record Notice(
        String kind,
        String headline,
        String summary,
        List<Fact> facts,
        List<String> details,
        List<Link> links,
        String severity,
        int eventCount,
        Instant firstAt,
        Instant lastAt,
        String subjectKind,
        String subjectId,
        String dedupKey,
        String eventType) {

    public record Fact(String title, String value) {}

    public record Link(String text, String url) {}

    public boolean isRecovery() {
        return "recovery".equals(kind);
    }

    /** True when there is a summary to show. */
    public boolean hasSummary() {
        return summary != null && !summary.isBlank();
    }

    /** Plain text ({@code templates/notice/text.txt}): Slack's fallback text, the email's text. */
    public String plainText() {
        return NoticeRenderer.render(NoticeTemplates.text(this));
    }
}
