package io.tributary.monitor.airbyte;

import com.fasterxml.jackson.databind.JsonNode;

/** An Airbyte connection ({@code ConnectionResponse}), the fields the monitor needs. */
public record AirbyteConnection(String connectionId, String name, String status) {

    public boolean isActive() {
        return "active".equalsIgnoreCase(status);
    }

    static AirbyteConnection from(JsonNode node) {
        return new AirbyteConnection(
                AirbyteJob.text(node, "connectionId"),
                AirbyteJob.text(node, "name"),
                AirbyteJob.text(node, "status"));
    }
}
