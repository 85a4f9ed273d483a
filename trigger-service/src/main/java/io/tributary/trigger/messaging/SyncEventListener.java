package io.tributary.trigger.messaging;

import io.smallrye.common.annotation.Blocking;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncRequested;
import io.tributary.events.Topics;
import io.tributary.trigger.rule.RuleEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code tributary.sync.events} for the event rules. A record that is not a readable
 * CloudEvent goes to {@code tributary.trigger-service.dlq}; a type this version does not know is
 * skipped; the consumer keeps going either way.
 */
@ApplicationScoped
public class SyncEventListener {
    private static final Logger LOG = Logger.getLogger(SyncEventListener.class);

    @Inject RuleEngine rules;

    @Incoming("sync-events")
    @Blocking
    public void onEvent(ConsumerRecord<String, byte[]> record) {
        ReceivedEvent event = CloudEventKafka.readKnown(record).orElse(null);
        if (event == null || !event.eventType().get().topic().equals(Topics.SYNC_EVENTS)) {
            return; // a newer producer's type, or not a sync event: not ours
        }
        List<SyncRequested> caused = rules.handle(event);
        if (!caused.isEmpty()) {
            LOG.infof(
                    "%s %s matched rule(s): %d sync request(s) %s",
                    event.type(),
                    event.id(),
                    caused.size(),
                    caused.stream().map(r -> r.trigger().id() + "→" + r.connectionId()).toList());
        }
    }
}
