package io.tributary.events;

/**
 * What asked for a sync.
 *
 * @param kind webhook, schedule, manual, event (an event rule) or kafka (an external topic)
 * @param id the hook, schedule, rule or topic id; for manual requests the caller's identity
 * @param detail free text for people, e.g. the webhook delivery id or the upstream event's ce_id
 */
public record Trigger(TriggerKind kind, String id, String detail) {

    public static Trigger of(TriggerKind kind, String id) {
        return new Trigger(kind, id, null);
    }
}
