package io.tributary.notifier.channel;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The Qute templates of {@code src/main/resources/templates/notice/}: the wording of a notice and
 * the email parts. Checked at build time; HTML is escaped by the engine, text is not escaped.
 */
@CheckedTemplate(basePath = "notice")
public final class NoticeTemplates {
    private NoticeTemplates() {}

    /** {@code headline.txt}: one short line, e.g. "Sync failed: connection 3f2a…". */
    public static native TemplateInstance headline(NoticeRenderer.NoticeText text);

    /** {@code summary.txt}: the why, e.g. Airbyte's error or the first failing dbt node. */
    public static native TemplateInstance summary(NoticeRenderer.NoticeText text);

    /** {@code testSummary.txt}: the summary of a test message. */
    public static native TemplateInstance testSummary(String summary);

    /** {@code text.txt}: the notice as plain text (Slack's fallback text, the email's text). */
    public static native TemplateInstance text(Notice notice);

    /** {@code emailText.txt}: the text part of an email. */
    public static native TemplateInstance emailText(String text, String subscription);

    /** {@code emailHtml.html}: the HTML part of an email, a small inline-styled table. */
    public static native TemplateInstance emailHtml(Notice notice, String subscription);
}
