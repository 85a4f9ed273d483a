package io.tributary.trigger.definition;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a Kafka trigger's consumer group starts when it has no committed offset yet (Kafka's {@code
 * auto.offset.reset}); afterwards it always resumes from its committed offsets.
 */
public enum KafkaStartFrom {
    LATEST,
    EARLIEST;

    @JsonValue
    public String wire() {
        return WireEnum.name(this);
    }

    @JsonCreator
    public static KafkaStartFrom of(String value) {
        return WireEnum.parse(KafkaStartFrom.class, value);
    }
}
