package io.tributary.console.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.tributary.console.run.DeadLetterRepository;
import io.tributary.console.run.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads every pipeline topic and every dead-letter topic into the read model. Bad records are
 * values (counted, shown, skipped); a database failure is retried in place, so no record is
 * acknowledged before it is stored.
 */
@ApplicationScoped
public class PipelineListener {
    private static final Logger LOG = Logger.getLogger(PipelineListener.class);
    private static final Duration GIVE_UP = Duration.ofMinutes(2);

    @Inject Projection projection;
    @Inject DeadLetterRepository deadLetters;
    @Inject MeterRegistry registry;

    @Incoming("pipeline")
    @Blocking
    public void onPipelineEvent(ConsumerRecord<String, byte[]> record) {
        Projection.Outcome outcome = stored(record, () -> projection.apply(record));
        registry.counter(
                        "tributary.console.records",
                        "topic",
                        record.topic(),
                        "outcome",
                        outcome.name().toLowerCase(java.util.Locale.ROOT))
                .increment();
    }

    @Incoming("dead-letters")
    @Blocking
    public void onDeadLetter(ConsumerRecord<String, byte[]> record) {
        stored(
                record,
                () -> {
                    deadLetters.record(record);
                    return Projection.Outcome.PROJECTED;
                });
        registry.counter("tributary.console.dead.letters", "topic", record.topic()).increment();
    }

    private <T> T stored(ConsumerRecord<?, ?> record, Supplier<T> work) {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        long backoff = 200;
        while (true) {
            try {
                return QuarkusTransaction.requiringNew().call(work::get);
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e; // the channel fails: readiness goes DOWN, the record is not lost
                }
                LOG.warnf(
                        "storing %s-%d@%d failed (%s), retrying",
                        record.topic(), record.partition(), record.offset(), e.toString());
                try {
                    Thread.sleep(backoff); // back-off while the database recovers
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(backoff * 2, 5000);
            }
        }
    }
}
