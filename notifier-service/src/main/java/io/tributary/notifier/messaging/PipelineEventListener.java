package io.tributary.notifier.messaging;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.ReceivedEvent;
import io.tributary.notifier.delivery.DeliveryPlanner;
import io.tributary.notifier.delivery.EventFacts;
import io.tributary.notifier.expectation.ExpectationJudge;
import io.tributary.support.Traces;
import io.tributary.support.inbox.ProcessedEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Records every sync, transform and expectation event, once by ce_id, lets it keep or break the
 * expectations of its subject, and plans its deliveries, all in the same transaction; nothing is
 * sent here (the {@code DeliverySender} does that), so the record is acknowledged at once. Records
 * that are not contract events go to the dead-letter topic with the reason.
 */
@ApplicationScoped
public class PipelineEventListener {
    private static final Logger LOG = Logger.getLogger(PipelineEventListener.class);

    @Inject ProcessedEvents processed;
    @Inject DeliveryPlanner planner;
    @Inject ExpectationJudge judge;

    @Incoming("pipeline-events")
    @Blocking
    public void onPipelineEvent(ConsumerRecord<String, byte[]> record) {
        ReceivedEvent event = CloudEventKafka.readKnown(record).orElse(null);
        if (event == null) {
            return; // a newer producer's type: not ours to judge
        }
        QuarkusTransaction.requiringNew()
                .run(
                        () -> {
                            if (processed.markProcessed(
                                    event.id(), event.type(), event.subject())) {
                                EventFacts facts = EventFacts.of(event).orElse(null);
                                if (facts == null) {
                                    return; // a contract type the notifier does not act on
                                }
                                int planned;
                                // Deliveries keep this event's trace (stored with each, restored
                                // when sending).
                                try (var trace = Traces.continueFrom(event.traceparent())) {
                                    judge.onEvent(facts);
                                    planned = planner.plan(facts);
                                }
                                LOG.debugf(
                                        "%s about %s: %d deliveries planned",
                                        event.type(), event.subject(), planned);
                            }
                        });
    }
}
