package io.tributary.monitor.messaging;

import io.tributary.events.CloudEventKafka;
import io.tributary.events.DurableSend;
import io.tributary.events.EventIds;
import io.tributary.events.EventType;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncStarted;
import io.tributary.support.Traces;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Publishes what happened to an Airbyte job on {@code tributary.sync.events}. Ids derive from the
 * job id, so a re-send after a crash carries the same {@code ce_id} and consumers drop it.
 */
@ApplicationScoped
public class SyncEventPublisher {
    static final String SOURCE = CloudEventKafka.source("sync-monitor-service");

    @Channel("sync-events")
    Emitter<Object> emitter;

    /**
     * One {@code sync.started} per group of requests a job came to serve: the job's own requests
     * when it starts, later ones that attach to it. The id derives from the job and the group, so a
     * re-send of the same group carries the same id.
     */
    public CompletionStage<Void> started(SyncStarted started) {
        String id =
                EventIds.derive(
                        "sync.started",
                        String.valueOf(started.jobId()),
                        String.join(",", started.requestIds()));
        return DurableSend.send(
                emitter,
                Traces.withCurrent(
                        CloudEventKafka.message(
                                EventType.SYNC_STARTED,
                                id,
                                started.connectionId(),
                                started,
                                SOURCE)));
    }

    /** Succeeded, failed or cancelled: at most one ending per job, whatever its type. */
    public CompletionStage<Void> finished(EventType type, SyncFinished finished) {
        if (!type.isTerminal() || type.topic() != EventType.SYNC_STARTED.topic()) {
            throw new IllegalArgumentException(type + " does not end a sync");
        }
        // A request refused before any job ran (unknown connection...) ends on its request ids.
        String id =
                finished.jobId() != null
                        ? EventIds.derive("sync.ended", String.valueOf(finished.jobId()))
                        : EventIds.derive("sync.refused", String.join(",", finished.requestIds()));
        return DurableSend.send(
                emitter,
                Traces.withCurrent(
                        CloudEventKafka.message(
                                type, id, finished.connectionId(), finished, SOURCE)));
    }
}
