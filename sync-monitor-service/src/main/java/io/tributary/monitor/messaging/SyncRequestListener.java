package io.tributary.monitor.messaging;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import io.tributary.events.Parsed;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.RejectedRecordException;
import io.tributary.events.SyncRequested;
import io.tributary.monitor.job.RequestStored;
import io.tributary.monitor.job.SyncRequestRepository;
import io.tributary.support.Traces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Stores every sync request and acknowledges the records at once: Airbyte work happens elsewhere,
 * never while a record is held. Records come by batches (a poll's worth) and the valid ones of a
 * batch are stored in one transaction, so a burst costs a few transactions, not one per request.
 * Anyone may publish here (ARCHITECTURE.md): a record that is not a valid request (not a
 * CloudEvent, not {@code io.tributary.sync.requested}, data not matching the schema, {@code ce_id}
 * other than {@code requestId}, key other than {@code connectionId}) goes to the dead-letter topic
 * with the reason, on its own; the consumer keeps going.
 */
@ApplicationScoped
public class SyncRequestListener {
    private static final Logger LOG = Logger.getLogger(SyncRequestListener.class);

    @Inject SyncRequestRepository requests;
    @Inject Event<RequestStored> stored;

    private record Valid(ReceivedEvent event, SyncRequested request) {}

    @Incoming("sync-requests")
    @Blocking
    public CompletionStage<Void> onRequests(KafkaRecordBatch<String, byte[]> batch) {
        List<Valid> valid = new ArrayList<>();
        List<CompletableFuture<Void>> rejected = new ArrayList<>();
        for (KafkaRecord<String, byte[]> record : batch.getRecords()) {
            try {
                valid.add(valid(consumerRecord(record)));
            } catch (RejectedRecordException e) {
                // This record alone goes to the dead-letter topic (the channel's failure strategy).
                rejected.add(record.nack(e).toCompletableFuture());
            }
        }
        if (!valid.isEmpty()) {
            QuarkusTransaction.requiringNew().run(() -> store(valid));
        }
        // Acknowledged once the rows are committed and the rejected records dead-lettered.
        CompletableFuture.allOf(rejected.toArray(CompletableFuture[]::new)).join();
        return batch.ack();
    }

    private void store(List<Valid> valid) {
        List<SyncRequestRepository.Received> received = new ArrayList<>();
        for (Valid v : valid) {
            String traceparent = Traces.currentOr(v.event().traceparent());
            received.add(
                    new SyncRequestRepository.Received(v.event().id(), v.request(), traceparent));
        }
        List<SyncRequestRepository.Received> fresh = requests.storeIfNew(received);
        for (SyncRequestRepository.Received r : fresh) {
            SyncRequested request = r.request();
            LOG.infof(
                    "sync requested for connection %s (%s, %s)",
                    request.connectionId(), request.jobType(), request.trigger().kind());
            // Observed once committed.
            stored.fire(new RequestStored(request.connectionId()));
        }
        if (fresh.size() < received.size()) {
            LOG.debugf("%d duplicate sync request(s) ignored", received.size() - fresh.size());
        }
    }

    @SuppressWarnings("unchecked")
    private static ConsumerRecord<String, byte[]> consumerRecord(KafkaRecord<String, byte[]> r) {
        return r.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> (ConsumerRecord<String, byte[]>) m.getRecord())
                .orElseThrow(() -> new RejectedRecordException("not a Kafka record"));
    }

    private static Valid valid(ConsumerRecord<String, byte[]> record) {
        Parsed parsed = CloudEventKafka.readValidated(record);
        if (parsed instanceof Parsed.Invalid invalid) {
            throw new RejectedRecordException(invalid.reason());
        }
        ReceivedEvent event = ((Parsed.Ok) parsed).event();
        if (!event.is(EventType.SYNC_REQUESTED)) {
            throw new RejectedRecordException("unexpected ce_type " + event.type());
        }
        SyncRequested request = request(event);
        if (!event.id().equals(request.requestId())) {
            throw new RejectedRecordException(
                    "ce_id " + event.id() + " differs from data.requestId " + request.requestId());
        }
        if (event.key() == null || !event.key().equalsIgnoreCase(request.connectionId())) {
            throw new RejectedRecordException(
                    "the record key must be the connectionId " + request.connectionId());
        }
        return new Valid(event, request);
    }

    /**
     * The data as a request. The schema (checked by readValidated: required fields, UUID ids, known
     * job type and trigger kind, RFC 3339 time) has passed; anything the mapping still refuses is a
     * rejection too, never a retry loop.
     */
    private static SyncRequested request(ReceivedEvent event) {
        try {
            return event.data(SyncRequested.class);
        } catch (RuntimeException e) {
            throw new RejectedRecordException("data is not a sync request: " + e.getMessage());
        }
    }
}
