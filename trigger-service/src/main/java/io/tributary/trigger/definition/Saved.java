package io.tributary.trigger.definition;

/** What an upsert did. */
public enum Saved {
    CREATED,
    UPDATED,
    UNCHANGED
}
