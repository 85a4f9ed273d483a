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

    /** Plain text: the fallback text of Slack, the text part of emails. */
    public String plainText() {
        StringBuilder text = new StringBuilder(headline);
        if (summary != null && !summary.isBlank()) {
            text.append('\n').append(summary);
        }
        for (Fact fact : facts) {
            text.append('\n').append(fact.title()).append(": ").append(fact.value());
        }
        for (String detail : details) {
            text.append('\n').append("- ").append(detail);
        }
        for (Link link : links) {
            text.append('\n').append(link.text()).append(": ").append(link.url());
        }
        return text.toString();
    }
}
