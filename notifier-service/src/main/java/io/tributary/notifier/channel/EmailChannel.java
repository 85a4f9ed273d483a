package io.tributary.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.tributary.notifier.config.NotifierConfig;
import io.tributary.notifier.delivery.Delivery;
import io.tributary.notifier.security.Destination;
import io.tributary.notifier.security.UnsafeDestinationException;
import io.tributary.notifier.security.UrlGuard;
import io.tributary.notifier.subscription.ChannelType;
import io.tributary.notifier.subscription.Subscription;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Email over SMTP with an HTML and a text part ({@code templates/notice/emailHtml.html} and {@code
 * emailText.txt}). By default through quarkus-mailer ({@code quarkus.mailer.*}: the operator's SMTP
 * server); a subscription may name its own server in {@code smtp} {@code {host, port, username,
 * password, ssl, startTls}} (checked by the SSRF guard; the password is a secret). Settings: {@code
 * to} (required), {@code cc}, {@code from}, {@code subjectPrefix}.
 */
@ApplicationScoped
public class EmailChannel implements Channel {
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>,]+@[^@\\s<>,]+");
    private static final Pattern PERMANENT = Pattern.compile("\\b5\\d\\d[ -]");

    @Inject Mailer mailer;
    @Inject Vertx vertx;
    @Inject UrlGuard guard;
    @Inject NotifierConfig config;

    @Override
    public ChannelType type() {
        return ChannelType.EMAIL;
    }

    @Override
    public ObjectNode validate(ObjectNode settings) throws InvalidSettingsException {
        List<String> to = addresses(settings, "to");
        if (to.isEmpty()) {
            throw new InvalidSettingsException("settings.to needs at least one address");
        }
        addresses(settings, "cc");
        String from = Settings.text(settings, "from");
        if (from != null && !ADDRESS.matcher(from.trim()).find()) {
            throw new InvalidSettingsException("settings.from is not an email address");
        }
        JsonNode smtp = settings.get("smtp");
        if (smtp != null && !smtp.isNull()) {
            if (!smtp.isObject()) {
                throw new InvalidSettingsException("settings.smtp must be an object");
            }
            ObjectNode server = (ObjectNode) smtp;
            String host = Settings.required(server, "host");
            boolean ssl = server.path("ssl").asBoolean(false);
            int port = server.path("port").asInt(ssl ? 465 : 587);
            server.put("port", port);
            try {
                guard.checkHost(host, port, ssl);
            } catch (UnsafeDestinationException e) {
                throw new InvalidSettingsException("settings.smtp.host refused: " + e.getMessage());
            }
        }
        return settings;
    }

    @Override
    public List<String> secrets() {
        return List.of("/smtp/password");
    }

    @Override
    public String destinationKey(ObjectNode settings) {
        JsonNode smtp = settings.get("smtp");
        return smtp == null || smtp.isNull()
                ? "email:default"
                : "email:" + smtp.path("host").asText() + ":" + smtp.path("port").asText();
    }

    @Override
    public AttemptResult send(Subscription subscription, Delivery delivery, Notice notice) {
        ObjectNode settings = subscription.settings();
        String prefix = Settings.text(settings, "subjectPrefix");
        String subject =
                (prefix == null ? config.email().subjectPrefix() : prefix)
                        + " "
                        + notice.headline();
        String from = Settings.text(settings, "from");
        from = from == null ? config.email().from() : from;
        String text = text(notice, subscription.name());
        String html = html(notice, subscription.name());
        List<String> to = textList(settings.get("to"));
        List<String> cc = textList(settings.get("cc"));
        JsonNode smtp = settings.get("smtp");
        try {
            if (smtp == null || smtp.isNull()) {
                Mail mail = new Mail().setFrom(from).setTo(to).setSubject(subject);
                mail.setText(text).setHtml(html);
                if (!cc.isEmpty()) {
                    mail.setCc(cc);
                }
                mailer.send(mail);
            } else {
                sendThrough((ObjectNode) smtp, from, to, cc, subject, text, html);
            }
            return AttemptResult.delivered(null, "accepted by the SMTP server");
        } catch (UnsafeDestinationException e) {
            return AttemptResult.refused("refused: " + e.getMessage());
        } catch (Exception e) {
            Throwable cause = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
            String detail = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            return PERMANENT.matcher(String.valueOf(cause.getMessage())).find()
                    ? AttemptResult.failed(null, detail)
                    : AttemptResult.retry(null, detail, null);
        }
    }

    /** The text part. */
    static String text(Notice notice, String subscriptionName) {
        return NoticeRenderer.render(
                NoticeTemplates.emailText(notice.plainText(), subscriptionName));
    }

    /** The HTML part, escaped by the engine. */
    static String html(Notice notice, String subscriptionName) {
        return NoticeTemplates.emailHtml(notice, subscriptionName).render();
    }

    private void sendThrough(
            ObjectNode smtp,
            String from,
            List<String> to,
            List<String> cc,
            String subject,
            String text,
            String html)
            throws Exception {
        boolean ssl = smtp.path("ssl").asBoolean(false);
        int port = smtp.path("port").asInt(ssl ? 465 : 587);
        // Checked again right before sending (the name may resolve elsewhere by now).
        Destination destination = guard.checkHost(smtp.path("host").asText(), port, ssl);
        MailConfig mailConfig =
                new MailConfig()
                        .setHostname(destination.host())
                        .setPort(port)
                        .setSsl(ssl)
                        .setStarttls(
                                smtp.path("startTls").asBoolean(true)
                                        ? StartTLSOptions.OPTIONAL
                                        : StartTLSOptions.DISABLED)
                        .setConnectTimeout((int) config.delivery().connectTimeout().toMillis())
                        .setKeepAlive(false);
        String username = Settings.text(smtp, "username");
        if (username != null) {
            mailConfig
                    .setUsername(username)
                    .setPassword(Settings.text(smtp, "password"))
                    .setLogin(LoginOption.REQUIRED);
        } else {
            mailConfig.setLogin(LoginOption.DISABLED);
        }
        MailClient client = MailClient.create(vertx, mailConfig);
        try {
            MailMessage message =
                    new MailMessage()
                            .setFrom(from)
                            .setTo(to)
                            .setSubject(subject)
                            .setText(text)
                            .setHtml(html);
            if (!cc.isEmpty()) {
                message.setCc(cc);
            }
            client.sendMail(message)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(config.delivery().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            client.close();
        }
    }

    private static List<String> addresses(ObjectNode settings, String field)
            throws InvalidSettingsException {
        JsonNode node = settings.get(field);
        if (node != null && node.isTextual()) {
            ArrayNode array = settings.putArray(field);
            for (String part : node.asText().split(",")) {
                if (!part.isBlank()) {
                    array.add(part.trim());
                }
            }
            node = array;
        }
        if (node != null && !node.isNull() && !node.isArray()) {
            throw new InvalidSettingsException(
                    "settings." + field + " must be a list of addresses");
        }
        List<String> list = textList(node);
        for (String address : list) {
            if (!ADDRESS.matcher(address).matches()) {
                throw new InvalidSettingsException(
                        "settings." + field + " has a bad address: " + address);
            }
        }
        return list;
    }

    private static List<String> textList(JsonNode node) {
        List<String> list = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(n -> list.add(n.asText().trim()));
        }
        return list;
    }
}
