package io.tributary.events;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * CloudEvents ids. Events that may be sent again (after a crash, a retry, a second poller) derive
 * their id from what they are about, so consumers dedupe the re-send on {@code ce_id}.
 */
public final class EventIds {

    // Keeps our name-based ids apart from other name-based UUIDs made of the same words.
    private static final String NAMESPACE = "io.tributary.events";
    // A separator that cannot be confused with text, so ("a:b","c") and ("a","b:c") differ.
    private static final char SEPARATOR = '\u001f';

    private EventIds() {}

    /**
     * A stable name-based (version 3) UUID of the parts, e.g. the end of Airbyte job 42: {@code
     * derive("sync.ended", "42")}.
     */
    public static String derive(String... parts) {
        if (parts == null || parts.length == 0) {
            throw new IllegalArgumentException("at least one part is needed");
        }
        StringBuilder name = new StringBuilder(NAMESPACE);
        for (String part : parts) {
            if (part == null) {
                throw new IllegalArgumentException("parts must not be null");
            }
            name.append(SEPARATOR).append(part);
        }
        return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A fresh random id, for events that happen once (e.g. a new sync request). */
    public static String random() {
        return UUID.randomUUID().toString();
    }
}
