package io.tributary.notifier.security;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;

/**
 * Masks secret settings for API answers and keeps stored secrets when a client sends a masked value
 * back (GET, edit, PUT works without re-entering secrets).
 */
public final class SecretSettings {
    public static final String MASK = "********";

    private SecretSettings() {}

    /** A copy with every secret replaced by its mask. */
    public static ObjectNode mask(ObjectNode settings, List<String> pointers) {
        ObjectNode copy = settings.deepCopy();
        for (String pointer : pointers) {
            JsonPointer p = JsonPointer.compile(pointer);
            JsonNode value = copy.at(p);
            if (value.isTextual()) {
                ((ObjectNode) copy.at(p.head()))
                        .put(p.last().getMatchingProperty(), mask(value.asText()));
            }
        }
        return copy;
    }

    /** {@code https://hooks.slack.com/********} for URLs (the host helps people), else the mask. */
    public static String mask(String secret) {
        if (secret == null || secret.isEmpty()) {
            return secret;
        }
        try {
            URI uri = URI.create(secret);
            if (uri.getScheme() != null && uri.getHost() != null) {
                return uri.getScheme() + "://" + uri.getHost() + "/" + MASK;
            }
        } catch (IllegalArgumentException ignored) {
            // not a URL: mask it whole
        }
        return MASK;
    }

    /**
     * The incoming settings with each secret that is missing or equal to the stored secret's mask
     * replaced by the stored secret.
     */
    public static ObjectNode keepSecrets(
            ObjectNode incoming, ObjectNode stored, List<String> pointers) {
        ObjectNode merged = incoming.deepCopy();
        for (String pointer : pointers) {
            JsonPointer p = JsonPointer.compile(pointer);
            JsonNode old = stored.at(p);
            if (!old.isTextual()) {
                continue;
            }
            JsonNode given = merged.at(p);
            boolean keep =
                    given.isMissingNode()
                            || given.isNull()
                            || given.asText().equals(MASK)
                            || given.asText().equals(mask(old.asText()));
            JsonNode parent = merged.at(p.head());
            if (keep && parent.isObject()) {
                ((ObjectNode) parent).put(p.last().getMatchingProperty(), old.asText());
            }
        }
        return merged;
    }
}
