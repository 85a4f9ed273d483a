package io.tributary.transform.messaging;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import io.tributary.events.JobType;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.RejectedRecordException;
import io.tributary.events.SyncFinished;
import io.tributary.support.Traces;
import io.tributary.support.inbox.ProcessedEvents;
import io.tributary.transform.run.RunWorker;
import io.tributary.transform.run.TriggerCoordinator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Records every sync ending, once by ce_id, and for a successful sync queues the runs of the
 * transforms downstream of its connection (in the same transaction), then acknowledges: dbt never
 * runs while a record is held. Records that are not contract events go to the dead-letter topic
 * with the reason.
 */
@ApplicationScoped
public class SyncEventListener {
    private static final Logger LOG = Logger.getLogger(SyncEventListener.class);

    @Inject ProcessedEvents processed;
    @Inject TriggerCoordinator coordinator;
    @Inject RunWorker worker;

    @Incoming("sync-events")
    @Blocking
    public void onSyncEvent(ConsumerRecord<String, byte[]> record) {
        ReceivedEvent event = CloudEventKafka.readKnown(record).orElse(null);
        if (event == null) {
            return; // a newer producer's type: not ours to judge
        }
        SyncFinished sync = null;
        if (event.is(EventType.SYNC_SUCCEEDED)) {
            try {
                sync = event.data(SyncFinished.class);
            } catch (IllegalArgumentException e) {
                throw new RejectedRecordException(
                        "sync.succeeded data is unreadable: " + e.getMessage());
            }
        }
        // A reset or clear empties tables: only a sync brings data that transforms build on.
        SyncFinished landed =
                sync != null && (sync.jobType() == null || sync.jobType() == JobType.SYNC)
                        ? sync
                        : null;
        boolean queued =
                QuarkusTransaction.requiringNew()
                        .call(
                                () -> {
                                    if (!processed.markProcessed(
                                            event.id(), event.type(), event.subject())) {
                                        return false; // a re-delivery
                                    }
                                    LOG.infof(
                                            "%s for connection %s", event.type(), event.subject());
                                    if (landed == null) {
                                        return false;
                                    }
                                    // Queued runs keep this event's trace (stored with the run,
                                    // restored when their events are stored).
                                    try (var trace = Traces.continueFrom(event.traceparent())) {
                                        return !coordinator.onSyncSucceeded(landed).isEmpty();
                                    }
                                });
        if (queued) {
            worker.wake();
        }
    }
}
