package io.tributary.events;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends through a SmallRye emitter and completes when the broker has acknowledged the record (with
 * {@code acks=all}: every in-sync replica has it), or fails when it could not be written. Callers
 * record or answer "done" only then.
 */
public final class DurableSend {
    private DurableSend() {}

    public static <T> CompletionStage<Void> send(Emitter<T> emitter, Message<? extends T> message) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        emitter.send(
                message.withAck(
                                () -> {
                                    acked.complete(null);
                                    return CompletableFuture.completedFuture(null);
                                })
                        .withNack(
                                failure -> {
                                    acked.completeExceptionally(failure);
                                    return CompletableFuture.completedFuture(null);
                                }));
        return acked;
    }
}
