package io.tributary.notifier.channel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.events.EventJson;
import io.tributary.notifier.delivery.Delivery;
import io.tributary.notifier.subscription.ChannelType;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Microsoft Teams workflow webhook ("When a Teams webhook request is received"): a {@code message}
 * whose single attachment is an Adaptive Card 1.4. Settings: {@code url} (secret). A 202 only means
 * the flow was started; a broken flow is visible in its run history, not here.
 */
@ApplicationScoped
public class TeamsChannel extends UrlChannel {
    public static final String CARD_TYPE = "application/vnd.microsoft.card.adaptive";

    @Override
    public ChannelType type() {
        return ChannelType.TEAMS;
    }

    @Override
    ObjectNode message(Notice notice, String subscriptionName) {
        return payload(notice, subscriptionName);
    }

    /** The workflow message with its Adaptive Card. */
    public static ObjectNode payload(Notice notice, String subscriptionName) {
        ObjectNode message = EventJson.mapper().createObjectNode();
        message.put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject();
        attachment.put("contentType", CARD_TYPE);
        attachment.putNull("contentUrl");
        ObjectNode card = attachment.putObject("content");
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        ArrayNode body = card.putArray("body");
        body.addObject()
                .put("type", "TextBlock")
                .put("text", notice.headline())
                .put("weight", "Bolder")
                .put("size", "Medium")
                .put("color", color(notice))
                .put("wrap", true);
        if (notice.summary() != null && !notice.summary().isBlank()) {
            body.addObject()
                    .put("type", "TextBlock")
                    .put("text", notice.summary())
                    .put("wrap", true);
        }
        if (!notice.facts().isEmpty()) {
            ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
            for (Notice.Fact fact : notice.facts()) {
                facts.addObject().put("title", fact.title()).put("value", fact.value());
            }
        }
        for (String detail : notice.details()) {
            body.addObject()
                    .put("type", "TextBlock")
                    .put("text", "- " + detail)
                    .put("wrap", true)
                    .put("fontType", "Monospace")
                    .put("size", "Small");
        }
        body.addObject()
                .put("type", "TextBlock")
                .put("text", "Tributary · " + subscriptionName + " · " + notice.eventType())
                .put("isSubtle", true)
                .put("size", "Small")
                .put("wrap", true);
        if (!notice.links().isEmpty()) {
            ArrayNode actions = card.putArray("actions");
            for (Notice.Link link : notice.links()) {
                actions.addObject()
                        .put("type", "Action.OpenUrl")
                        .put("title", link.text())
                        .put("url", link.url());
            }
        }
        return message;
    }

    private static String color(Notice notice) {
        switch (notice.kind()) {
            case Delivery.ALERT:
                return "Attention";
            case Delivery.RECOVERY:
                return "Good";
            default:
                return "Default";
        }
    }
}
