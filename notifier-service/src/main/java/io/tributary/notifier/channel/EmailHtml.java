package io.tributary.notifier.channel;

/** The HTML part of notification emails: a small, inline-styled table that mail clients keep. */
final class EmailHtml {
    private EmailHtml() {}

    static String render(Notice notice, String subscriptionName) {
        String color =
                notice.isRecovery()
                        ? "#2e7d32"
                        : "alert".equals(notice.kind()) ? "#c62828" : "#455a64";
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html><body style=\"font-family:sans-serif;font-size:14px\">");
        html.append("<h2 style=\"color:")
                .append(color)
                .append(";margin:0 0 8px\">")
                .append(escape(notice.headline()))
                .append("</h2>");
        if (notice.summary() != null && !notice.summary().isBlank()) {
            html.append("<p>").append(escape(notice.summary())).append("</p>");
        }
        if (!notice.facts().isEmpty()) {
            html.append("<table style=\"border-collapse:collapse\">");
            for (Notice.Fact fact : notice.facts()) {
                html.append("<tr><th style=\"text-align:left;padding:2px 12px 2px 0\">")
                        .append(escape(fact.title()))
                        .append("</th><td>")
                        .append(escape(fact.value()))
                        .append("</td></tr>");
            }
            html.append("</table>");
        }
        if (!notice.details().isEmpty()) {
            html.append("<ul>");
            for (String detail : notice.details()) {
                html.append("<li><code>").append(escape(detail)).append("</code></li>");
            }
            html.append("</ul>");
        }
        if (!notice.links().isEmpty()) {
            html.append("<p>");
            for (Notice.Link link : notice.links()) {
                html.append("<a href=\"")
                        .append(escape(link.url()))
                        .append("\">")
                        .append(escape(link.text()))
                        .append("</a> ");
            }
            html.append("</p>");
        }
        html.append("<p style=\"color:#888;font-size:12px\">Tributary · ")
                .append(escape(subscriptionName))
                .append(" · ")
                .append(escape(notice.eventType()))
                .append("</p></body></html>");
        return html.toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
