package io.tributary.trigger.messaging;

import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import io.tributary.events.SyncRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes {@code io.tributary.sync.requested} events. The returned stage completes only when the
 * broker has acknowledged the record (acks=all), so callers answer their own clients after the
 * request is durable, never before.
 */
@ApplicationScoped
public class SyncRequestPublisher {
    static final String SOURCE = CloudEventKafka.source("trigger-service");

    @Channel("sync-requests")
    Emitter<SyncRequested> emitter;

    public CompletionStage<Void> publish(SyncRequested request) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<SyncRequested> message =
                CloudEventKafka.message(
                                EventType.SYNC_REQUESTED,
                                request.requestId(),
                                request.connectionId(),
                                request,
                                SOURCE)
                        .withAck(
                                () -> {
                                    acked.complete(null);
                                    return CompletableFuture.completedFuture(null);
                                })
                        .withNack(
                                failure -> {
                                    acked.completeExceptionally(failure);
                                    return CompletableFuture.completedFuture(null);
                                });
        emitter.send(message);
        return acked;
    }
}
