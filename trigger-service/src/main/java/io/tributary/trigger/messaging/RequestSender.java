package io.tributary.trigger.messaging;

import io.tributary.events.SyncRequested;
import io.tributary.trigger.config.TriggerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Publishes a batch of sync requests and waits, up to the publish timeout, until Kafka acknowledged
 * every one of them. Records of one connection keep their order (same key, same partition,
 * idempotent producer), so "reset then sync" arrives in that order.
 */
@ApplicationScoped
public class RequestSender {
    private static final Logger LOG = Logger.getLogger(RequestSender.class);

    private final SyncRequestPublisher publisher;
    private final TriggerMetrics metrics;
    private final Duration timeout;

    @Inject
    public RequestSender(
            SyncRequestPublisher publisher, TriggerMetrics metrics, TriggerConfig config) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.timeout = config.publishTimeout();
    }

    /**
     * Sends and waits for the acknowledgements.
     *
     * @throws NotAcknowledgedException when any request could not be written in time
     */
    public void sendAndAwait(List<SyncRequested> requests) {
        if (requests.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        List<CompletableFuture<Void>> acks = new ArrayList<>(requests.size());
        try {
            for (SyncRequested request : requests) {
                acks.add(publisher.publish(request).toCompletableFuture());
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new NotAcknowledgedException("Kafka did not acknowledge within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotAcknowledgedException("interrupted while waiting for Kafka", e);
        } catch (ExecutionException e) {
            LOG.warnf("Kafka refused sync requests: %s", e.getCause());
            throw new NotAcknowledgedException("Kafka refused the record", e.getCause());
        } catch (RuntimeException e) {
            // The emitter throws when its buffer is full or the channel is down.
            LOG.warnf("cannot hand sync requests to Kafka: %s", e.toString());
            throw new NotAcknowledgedException("cannot reach Kafka", e);
        }
        metrics.acknowledged(Duration.ofNanos(System.nanoTime() - start));
        requests.stream()
                .collect(
                        java.util.stream.Collectors.groupingBy(
                                r -> r.trigger().kind(), java.util.stream.Collectors.counting()))
                .forEach((kind, n) -> metrics.requested(kind, n.intValue()));
    }

    /** Kafka did not acknowledge (down, timed out, refused): the caller answers 503 or retries. */
    public static class NotAcknowledgedException extends RuntimeException {
        public NotAcknowledgedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
