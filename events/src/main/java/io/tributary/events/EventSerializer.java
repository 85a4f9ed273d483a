package io.tributary.events;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka value serializer for event data, with the contract's JSON settings (RFC 3339 times,
 * ISO-8601 durations, lowercase enums) whatever the host application's own ObjectMapper says.
 */
public class EventSerializer implements Serializer<Object> {

    @Override
    public byte[] serialize(String topic, Object data) {
        return data == null ? null : EventJson.toBytes(data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, Object data) {
        return serialize(topic, data);
    }
}
