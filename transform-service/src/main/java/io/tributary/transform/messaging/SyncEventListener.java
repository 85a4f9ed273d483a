package io.tributary.transform.messaging;

import io.smallrye.common.annotation.Blocking;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.Parsed;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.RejectedRecordException;
import io.tributary.transform.inbox.ProcessedEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Records every sync ending, once by ce_id, and acknowledges at once: dbt never runs while a record
 * is held. Records that are not contract events go to the dead-letter topic with the reason.
 */
@ApplicationScoped
public class SyncEventListener {
    private static final Logger LOG = Logger.getLogger(SyncEventListener.class);

    @Inject ProcessedEvents processed;

    @Incoming("sync-events")
    @Blocking
    @Transactional
    public void onSyncEvent(ConsumerRecord<String, byte[]> record) {
        Parsed parsed = CloudEventKafka.readValidated(record);
        if (parsed instanceof Parsed.Invalid invalid) {
            throw new RejectedRecordException(invalid.reason());
        }
        ReceivedEvent event = ((Parsed.Ok) parsed).event();
        if (event.eventType().isEmpty()) {
            // A newer producer's type: not ours to judge, not an error.
            LOG.debugf("skipping unknown event type %s", event.type());
            return;
        }
        if (processed.markProcessed(event.id(), event.type(), event.subject())) {
            LOG.infof("%s for connection %s", event.type(), event.subject());
        }
    }
}
