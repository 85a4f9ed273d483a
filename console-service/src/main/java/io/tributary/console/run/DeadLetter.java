package io.tributary.console.run;

import java.time.Instant;

/** A record of a service's dead-letter topic, with the reason the service gave. */
public record DeadLetter(
        String topic,
        int partition,
        long offset,
        String key,
        String reason,
        String sourceTopic,
        Integer sourcePartition,
        Long sourceOffset,
        String headers,
        String value,
        Instant receivedAt) {}
