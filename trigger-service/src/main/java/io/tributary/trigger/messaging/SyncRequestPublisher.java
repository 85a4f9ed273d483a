package io.tributary.trigger.messaging;

import io.tributary.events.CloudEventKafka;
import io.tributary.events.DurableSend;
import io.tributary.events.EventType;
import io.tributary.events.SyncRequested;
import io.tributary.support.Traces;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Publishes {@code io.tributary.sync.requested} events. The returned stage completes only when the
 * broker has acknowledged the record, so callers answer their own clients after the request is
 * durable, never before. The request id is the stable {@code ce_id}.
 */
@ApplicationScoped
public class SyncRequestPublisher {
    static final String SOURCE = CloudEventKafka.source("trigger-service");

    @Channel("sync-requests")
    Emitter<SyncRequested> emitter;

    public CompletionStage<Void> publish(SyncRequested request) {
        return DurableSend.send(
                emitter,
                // The caller's trace (a webhook's HTTP server span) continues on the record.
                Traces.withCurrent(
                        CloudEventKafka.message(
                                EventType.SYNC_REQUESTED,
                                request.requestId(),
                                request.connectionId(),
                                request,
                                SOURCE)));
    }
}
