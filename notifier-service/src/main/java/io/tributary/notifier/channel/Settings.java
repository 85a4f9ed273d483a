package io.tributary.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.notifier.security.UnsafeDestinationException;
import io.tributary.notifier.security.UrlGuard;

/** Small helpers for reading and checking channel settings. */
final class Settings {
    private Settings() {}

    static String text(JsonNode settings, String field) {
        JsonNode value = settings.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    static String required(ObjectNode settings, String field) throws InvalidSettingsException {
        String value = text(settings, field);
        if (value == null || value.isBlank()) {
            throw new InvalidSettingsException("settings." + field + " is required");
        }
        return value.trim();
    }

    /** A required URL that the SSRF guard accepts now. */
    static String url(ObjectNode settings, String field, UrlGuard guard)
            throws InvalidSettingsException {
        String url = required(settings, field);
        try {
            guard.check(url);
        } catch (UnsafeDestinationException e) {
            throw new InvalidSettingsException("settings." + field + " refused: " + e.getMessage());
        }
        settings.put(field, url);
        return url;
    }
}
