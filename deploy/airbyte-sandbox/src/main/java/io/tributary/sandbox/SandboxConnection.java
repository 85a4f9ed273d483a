package io.tributary.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A simulated Airbyte connection.
 *
 * @param active false for an {@code inactive} connection: Airbyte refuses to sync it (409)
 * @param loadsShopData whether a succeeded sync writes the demo shop rows (needs a JDBC URL)
 * @param streams the catalog: the demo shop's three tables, or what the draft named, or one default
 *     stream
 */
public record SandboxConnection(
        UUID connectionId,
        String name,
        UUID workspaceId,
        UUID sourceId,
        String sourceName,
        UUID destinationId,
        String destinationName,
        boolean active,
        boolean loadsShopData,
        List<SandboxStream> streams,
        Instant createdAt) {

    public SandboxConnection {
        streams = List.copyOf(streams);
    }

    SandboxConnection withActive(boolean value) {
        return new SandboxConnection(
                connectionId,
                name,
                workspaceId,
                sourceId,
                sourceName,
                destinationId,
                destinationName,
                value,
                loadsShopData,
                streams,
                createdAt);
    }
}
