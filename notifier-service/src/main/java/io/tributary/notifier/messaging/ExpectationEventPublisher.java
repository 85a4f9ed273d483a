package io.tributary.notifier.messaging;

import io.tributary.events.ExpectationEvent;
import io.tributary.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Publishes missed and recovered expectations on {@code tributary.expectation.events}, keyed by
 * expectation id, through the outbox: stored in the transaction that changes the expectation's
 * state, sent by the relay. The caller derives the ce_id from the expectation and the deadline, so
 * a judgement repeated anywhere would carry the same id.
 */
@ApplicationScoped
public class ExpectationEventPublisher {

    @Inject Outbox outbox;

    public void publish(String ceId, ExpectationEvent event) {
        outbox.add(
                event.ceType(),
                ceId,
                event.expectationId(),
                event,
                NotificationEventPublisher.SOURCE);
    }
}
