package io.tributary.sandbox;

import java.time.Instant;
import java.util.UUID;

/**
 * A simulated Airbyte connection.
 *
 * @param active false for an {@code inactive} connection: Airbyte refuses to sync it (409)
 * @param loadsShopData whether a succeeded sync writes the demo shop rows (needs a JDBC URL)
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
        Instant createdAt) {

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
                createdAt);
    }
}
