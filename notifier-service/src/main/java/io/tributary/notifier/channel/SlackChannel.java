package io.tributary.notifier.channel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.events.EventJson;
import io.tributary.notifier.delivery.Delivery;
import io.tributary.notifier.subscription.ChannelType;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Slack incoming webhook: {@code {"text": fallback, "blocks": [header, section, fields, actions,
 * context]}}. Settings: {@code url} (secret: the URL is the credential).
 */
@ApplicationScoped
public class SlackChannel extends UrlChannel {
    static final int MAX_TEXT = 3000;
    static final int MAX_HEADER = 150;

    @Override
    public ChannelType type() {
        return ChannelType.SLACK;
    }

    @Override
    ObjectNode message(Notice notice, String subscriptionName) {
        return payload(notice, subscriptionName);
    }

    /** The Slack message of a notice. */
    public static ObjectNode payload(Notice notice, String subscriptionName) {
        ObjectNode message = EventJson.mapper().createObjectNode();
        message.put("text", cut(icon(notice) + " " + notice.plainText(), MAX_TEXT));
        ArrayNode blocks = message.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text")
                .put("type", "plain_text")
                .put("text", cut(notice.headline(), MAX_HEADER))
                .put("emoji", true);
        if (notice.summary() != null && !notice.summary().isBlank()) {
            section(blocks, icon(notice) + " " + escape(notice.summary()));
        }
        if (!notice.facts().isEmpty()) {
            ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
            notice.facts().stream()
                    .limit(10)
                    .forEach(
                            f ->
                                    fields.addObject()
                                            .put("type", "mrkdwn")
                                            .put(
                                                    "text",
                                                    cut(
                                                            "*"
                                                                    + escape(f.title())
                                                                    + "*\n"
                                                                    + escape(f.value()),
                                                            2000)));
        }
        if (!notice.details().isEmpty()) {
            StringBuilder text = new StringBuilder();
            for (String detail : notice.details()) {
                text.append("• ").append(escape(detail)).append('\n');
            }
            section(blocks, text.toString().strip());
        }
        if (!notice.links().isEmpty()) {
            ArrayNode elements = blocks.addObject().put("type", "actions").putArray("elements");
            for (Notice.Link link : notice.links()) {
                ObjectNode button = elements.addObject().put("type", "button");
                button.putObject("text")
                        .put("type", "plain_text")
                        .put("text", cut(link.text(), 75));
                button.put("url", link.url());
            }
        }
        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements")
                .addObject()
                .put("type", "mrkdwn")
                .put(
                        "text",
                        escape(
                                "Tributary · "
                                        + subscriptionName
                                        + " · "
                                        + notice.eventType()
                                        + (notice.eventCount() > 1
                                                ? " · " + notice.eventCount() + " events"
                                                : "")));
        return message;
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        blocks.addObject()
                .put("type", "section")
                .putObject("text")
                .put("type", "mrkdwn")
                .put("text", cut(mrkdwn, MAX_TEXT));
    }

    static String icon(Notice notice) {
        switch (notice.kind()) {
            case Delivery.ALERT:
                return ":red_circle:";
            case Delivery.RECOVERY:
                return ":large_green_circle:";
            case Delivery.TEST:
                return ":test_tube:";
            default:
                return ":information_source:";
        }
    }

    /** Slack's control characters in user content: &, <, > (stops {@code <!channel>} pings). */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
