package io.tributary.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventJson;
import io.tributary.events.EventType;
import io.tributary.events.NotificationEvent;
import io.tributary.events.Topics;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TopicReader;
import io.tributary.local.TributaryTestResource;
import io.tributary.notifier.support.Api;
import io.tributary.notifier.support.Events;
import io.tributary.notifier.support.GreenMailResource;
import io.tributary.notifier.support.Receiver;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every channel against a real receiver: local HTTP servers check the Slack, Teams and PagerDuty
 * payloads and verify the generic webhook's Standard Webhooks signature on their own; GreenMail
 * receives the email over SMTP.
 */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "notifier-service"),
        scope = TestResourceScope.GLOBAL)
@WithTestResource(value = GreenMailResource.class, scope = TestResourceScope.GLOBAL)
class ChannelsTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String ROUTING_KEY = "R0UT1NGKEY0123456789abcdefABCDEF";

    @InjectInfrastructure Infrastructure infra;
    static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void everyChannelSaysWhatBrokeAndThenThatItRecovered() throws Exception {
        String connection = UUID.randomUUID().toString();
        Map<String, Object> only = Map.of("connections", List.of(connection));
        List<String> failed = List.of("io.tributary.sync.failed");
        String slack =
                Api.subscribe(
                        "slack-" + connection,
                        failed,
                        only,
                        "slack",
                        Map.of("url", receiver.url("/slack/" + connection)));
        Api.subscribe(
                "teams-" + connection,
                failed,
                only,
                "teams",
                Map.of("url", receiver.url("/teams/" + connection)));
        Api.subscribe(
                "pd-" + connection,
                failed,
                only,
                "pagerduty",
                Map.of("routingKey", ROUTING_KEY, "url", receiver.url("/pd/" + connection)));
        String recipient = connection + "@example.com";
        Api.subscribe(
                "email-" + connection, failed, only, "email", Map.of("to", List.of(recipient)));
        var webhook =
                Api.create(
                                Map.of(
                                        "name",
                                        "hook-" + connection,
                                        "eventTypes",
                                        List.of("io.tributary.sync.*"),
                                        "filters",
                                        only,
                                        "channel",
                                        "webhook",
                                        "settings",
                                        Map.of("url", receiver.url("/hook/" + connection))))
                        .statusCode(201)
                        .extract();
        String webhookId = webhook.path("id");
        String secret = webhook.path("settings.secret");
        assertThat(secret).startsWith("whsec_");

        String message = "Source postgres: connection refused (host db.internal:5432)";
        String failureId;
        var failure = Events.syncFailed(connection, 42, message);
        var recovery = Events.syncSucceeded(connection, 43);
        try (Events events = new Events(infra.kafkaBootstrapServers())) {
            failureId = events.send(failure);

            await().atMost(WAIT)
                    .until(
                            () ->
                                    receiver.requests("/slack/" + connection).size() == 1
                                            && receiver.requests("/teams/" + connection).size() == 1
                                            && receiver.requests("/pd/" + connection).size() == 1
                                            && receiver.requests("/hook/" + connection).size() == 1
                                            && mailsTo(recipient).size() == 1);

            // Slack: fallback text plus blocks, the Airbyte error, links to connection and job.
            JsonNode slackBody = json(receiver.requests("/slack/" + connection).get(0));
            assertThat(slackBody.path("text").asText()).contains("Sync failed").contains(message);
            JsonNode blocks = slackBody.path("blocks");
            assertThat(blocks.get(0).path("type").asText()).isEqualTo("header");
            assertThat(blocks.get(0).path("text").path("text").asText()).contains(connection);
            assertThat(blocks.toString()).contains("airbyte_failed").contains("1m 35s");
            JsonNode actions = find(blocks, "actions");
            assertThat(actions.path("elements").get(0).path("url").asText())
                    .isEqualTo(
                            "https://airbyte.example.com/workspaces/w1/connections/"
                                    + connection
                                    + "/status");
            assertThat(actions.path("elements").get(1).path("url").asText())
                    .contains("/job-history#42");

            // Teams: a message whose attachment is an Adaptive Card.
            JsonNode teamsBody = json(receiver.requests("/teams/" + connection).get(0));
            assertThat(teamsBody.path("type").asText()).isEqualTo("message");
            JsonNode attachment = teamsBody.path("attachments").get(0);
            assertThat(attachment.path("contentType").asText())
                    .isEqualTo("application/vnd.microsoft.card.adaptive");
            JsonNode card = attachment.path("content");
            assertThat(card.path("type").asText()).isEqualTo("AdaptiveCard");
            assertThat(card.path("version").asText()).isEqualTo("1.4");
            assertThat(card.path("body").get(0).path("text").asText()).contains(connection);
            assertThat(card.path("body").toString()).contains("FactSet").contains(message);
            assertThat(card.path("actions").get(0).path("type").asText())
                    .isEqualTo("Action.OpenUrl");

            // PagerDuty: a trigger with the subject's dedup key.
            JsonNode pd = json(receiver.requests("/pd/" + connection).get(0));
            assertThat(pd.path("routing_key").asText()).isEqualTo(ROUTING_KEY);
            assertThat(pd.path("event_action").asText()).isEqualTo("trigger");
            assertThat(pd.path("dedup_key").asText())
                    .isEqualTo("tributary:connection:" + connection);
            assertThat(pd.path("payload").path("summary").asText()).contains(message);
            assertThat(pd.path("payload").path("severity").asText()).isEqualTo("error");
            assertThat(pd.path("payload").path("source").asText()).isEqualTo("tributary");

            // Generic webhook: the CloudEvent in structured JSON, signature verified here.
            Receiver.Request hook = receiver.requests("/hook/" + connection).get(0);
            assertThat(hook.header("content-type")).startsWith("application/cloudevents+json");
            assertThat(verify(secret, hook)).isTrue();
            JsonNode cloudEvent = json(hook);
            assertThat(cloudEvent.path("specversion").asText()).isEqualTo("1.0");
            assertThat(cloudEvent.path("id").asText()).isEqualTo(failureId);
            assertThat(cloudEvent.path("type").asText()).isEqualTo("io.tributary.sync.failed");
            assertThat(cloudEvent.path("data").path("message").asText()).isEqualTo(message);
            String deliveryId = (String) Api.deliveries(webhookId).get(0).get("id");
            assertThat(hook.header("webhook-id")).isEqualTo(deliveryId);

            // Email: HTML and text parts through a real SMTP server.
            MimeMessage mail = mailsTo(recipient).get(0);
            assertThat(mail.getSubject()).contains("Sync failed").contains(connection);
            assertThat(parts(mail))
                    .anyMatch(p -> p.startsWith("text/plain") && p.contains(message));
            assertThat(parts(mail))
                    .anyMatch(p -> p.startsWith("text/html") && p.contains("<table"));

            // Recovery: one message per people's channel, PagerDuty resolves the same key.
            events.send(recovery);
            await().atMost(WAIT)
                    .until(
                            () ->
                                    receiver.requests("/slack/" + connection).size() == 2
                                            && receiver.requests("/teams/" + connection).size() == 2
                                            && receiver.requests("/pd/" + connection).size() == 2
                                            && receiver.requests("/hook/" + connection).size() == 2
                                            && mailsTo(recipient).size() == 2);
        }
        assertThat(json(receiver.requests("/slack/" + connection).get(1)).path("text").asText())
                .contains("Recovered");
        JsonNode resolve = json(receiver.requests("/pd/" + connection).get(1));
        assertThat(resolve.path("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.path("dedup_key").asText())
                .isEqualTo("tributary:connection:" + connection);
        assertThat(json(receiver.requests("/hook/" + connection).get(1)).path("type").asText())
                .isEqualTo("io.tributary.sync.succeeded");
        assertThat(mailsTo(recipient).get(1).getSubject()).contains("Recovered");

        // Each delivery's outcome is on the notification topic.
        try (TopicReader reader =
                new TopicReader(infra.kafkaBootstrapServers(), Topics.NOTIFICATION_EVENTS)) {
            var records = reader.await(r -> slack.equals(r.key()), 2, WAIT);
            assertThat(records).hasSize(2);
            var event = CloudEventKafka.readValidated(records.get(0)).toOptional().orElseThrow();
            assertThat(event.is(EventType.NOTIFICATION_DELIVERED)).isTrue();
            NotificationEvent data = event.data(NotificationEvent.class);
            assertThat(data.channel()).isEqualTo("slack");
            assertThat(data.eventId()).isEqualTo(failureId);
            assertThat(data.attempts()).isEqualTo(1);
            // The link to the pipeline run: each notification carries its event's correlation id.
            assertThat(data.correlationId()).isEqualTo(failure.correlationId());
            NotificationEvent recovered =
                    CloudEventKafka.readValidated(records.get(1))
                            .toOptional()
                            .orElseThrow()
                            .data(NotificationEvent.class);
            assertThat(recovered.correlationId()).isEqualTo(recovery.correlationId());
            assertThat(recovered.correlationId()).isNotEqualTo(failure.correlationId());
        }
        assertThat(Api.deliveries(webhookId))
                .extracting(d -> d.get("correlationId"))
                .containsExactlyInAnyOrder(failure.correlationId(), recovery.correlationId());
    }

    @Test
    void aFailedDbtRunNamesTheFailingNode() {
        String transform = "mart_" + UUID.randomUUID().toString().substring(0, 8);
        Api.subscribe(
                "slack-" + transform,
                List.of("io.tributary.transform.failed"),
                Map.of("transforms", List.of(transform)),
                "slack",
                Map.of("url", receiver.url("/slack/" + transform)));
        try (Events events = new Events(infra.kafkaBootstrapServers())) {
            events.send(Events.transformFailed(transform));
        }
        await().atMost(WAIT).until(() -> receiver.requests("/slack/" + transform).size() == 1);
        String text = json(receiver.requests("/slack/" + transform).get(0)).toString();
        assertThat(text)
                .contains("dbt build failed: transform " + transform)
                .contains("model.shop.orders")
                .contains("relation \\\"raw.orders\\\" does not exist")
                .contains("10 success, 1 error, 2 skipped");
    }

    /** The receiver's own Standard Webhooks check (not the notifier's code). */
    static boolean verify(String secret, Receiver.Request request) throws Exception {
        String id = request.header("webhook-id");
        String timestamp = request.header("webhook-timestamp");
        long age = Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp));
        if (age > 300) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(
                new SecretKeySpec(
                        Base64.getDecoder().decode(secret.substring("whsec_".length())),
                        "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(request.body()));
        for (String signature : request.header("webhook-signature").split(" ")) {
            if (java.security.MessageDigest.isEqual(
                    expected.getBytes(StandardCharsets.UTF_8),
                    signature.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    static JsonNode json(Receiver.Request request) {
        return EventJson.tree(request.body());
    }

    static JsonNode find(JsonNode blocks, String type) {
        for (JsonNode block : blocks) {
            if (block.path("type").asText().equals(type)) {
                return block;
            }
        }
        throw new AssertionError("no " + type + " block in " + blocks);
    }

    static List<MimeMessage> mailsTo(String recipient) throws Exception {
        List<MimeMessage> result = new ArrayList<>();
        for (MimeMessage m : GreenMailResource.greenMail.getReceivedMessages()) {
            if (m.getAllRecipients() != null
                    && java.util.Arrays.stream(m.getAllRecipients())
                            .anyMatch(a -> a.toString().contains(recipient))) {
                result.add(m);
            }
        }
        return result;
    }

    /** "content-type: content" of every leaf part. */
    static List<String> parts(MimeMessage mail) throws Exception {
        List<String> result = new ArrayList<>();
        collect(mail.getContent(), mail.getContentType(), result);
        return result;
    }

    private static void collect(Object content, String type, List<String> out) throws Exception {
        if (content instanceof Multipart) {
            Multipart multipart = (Multipart) content;
            for (int i = 0; i < multipart.getCount(); i++) {
                var part = multipart.getBodyPart(i);
                collect(part.getContent(), part.getContentType(), out);
            }
        } else {
            out.add(type.toLowerCase(java.util.Locale.ROOT) + ": " + content);
        }
    }
}
