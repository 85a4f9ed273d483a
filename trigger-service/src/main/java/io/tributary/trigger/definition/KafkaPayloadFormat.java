package io.tributary.trigger.definition;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How the records of an external topic are written. */
public enum KafkaPayloadFormat {
    /** The value is a JSON document (a Debezium change, any application event). */
    JSON,
    /** CloudEvents 1.0, Kafka binary mode: the value is the data, attributes are ce_* headers. */
    CLOUDEVENTS_BINARY,
    /** CloudEvents 1.0, Kafka structured mode: the value is the whole JSON envelope. */
    CLOUDEVENTS_STRUCTURED;

    @JsonValue
    public String wire() {
        return WireEnum.name(this);
    }

    @JsonCreator
    public static KafkaPayloadFormat of(String value) {
        return WireEnum.parse(KafkaPayloadFormat.class, value);
    }
}
