package io.tributary.transform.messaging;

import io.tributary.events.CloudEventKafka;
import io.tributary.events.DurableSend;
import io.tributary.events.EventIds;
import io.tributary.events.TransformEvent;
import io.tributary.support.Traces;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Publishes a transform run's lifecycle on {@code tributary.transform.events}, keyed by transform
 * name; the ce_id derives from run id and status so a re-send is recognisable.
 */
@ApplicationScoped
public class TransformEventPublisher {
    static final String SOURCE = CloudEventKafka.source("transform-service");

    @Channel("transform-events")
    Emitter<TransformEvent> emitter;

    public CompletionStage<Void> publish(TransformEvent event) {
        String id = EventIds.derive("transform", event.runId(), event.status().wire());
        return DurableSend.send(
                emitter,
                Traces.withCurrent(
                        CloudEventKafka.message(
                                event.ceType(), id, event.transformName(), event, SOURCE)));
    }
}
