package io.tributary.notifier.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.events.EventJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretSettingsTest {
    static final List<String> SECRETS = List.of("/url", "/smtp/password");

    @Test
    void masksUrlsKeepingTheHostAndOtherSecretsWhole() {
        ObjectNode settings =
                (ObjectNode)
                        EventJson.tree(
                                "{\"url\":\"https://hooks.slack.com/services/T/B/x\",\"smtp\":{\"host\":\"h\",\"password\":\"pw\"},\"to\":[\"a@b\"]}");
        ObjectNode masked = SecretSettings.mask(settings, SECRETS);
        assertThat(masked.path("url").asText()).isEqualTo("https://hooks.slack.com/********");
        assertThat(masked.path("smtp").path("password").asText()).isEqualTo("********");
        assertThat(masked.path("smtp").path("host").asText()).isEqualTo("h");
        assertThat(settings.path("url").asText()).endsWith("/x"); // the original is untouched
    }

    @Test
    void aMaskSentBackKeepsTheStoredSecretANewValueReplacesIt() {
        ObjectNode stored =
                (ObjectNode)
                        EventJson.tree(
                                "{\"url\":\"https://hooks.slack.com/services/T/B/x\",\"smtp\":{\"password\":\"pw\"}}");
        ObjectNode back = SecretSettings.mask(stored, SECRETS);
        ObjectNode merged = SecretSettings.keepSecrets(back, stored, SECRETS);
        assertThat(merged).isEqualTo(stored);
        ObjectNode changed =
                (ObjectNode)
                        EventJson.tree(
                                "{\"url\":\"https://hooks.slack.com/services/T/B/y\",\"smtp\":{\"password\":\"new\"}}");
        assertThat(SecretSettings.keepSecrets(changed, stored, SECRETS)).isEqualTo(changed);
    }
}
