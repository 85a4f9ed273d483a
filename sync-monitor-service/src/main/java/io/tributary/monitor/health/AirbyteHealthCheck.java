package io.tributary.monitor.health;

import io.tributary.monitor.airbyte.AirbyteClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness says whether Airbyte answers ({@code GET /health}, outside the circuit breaker,
 * remembered for a few seconds). DOWN does not stop anything: requests are stored and wait, and are
 * served when Airbyte is back. Liveness does not depend on Airbyte.
 */
@Readiness
@ApplicationScoped
public class AirbyteHealthCheck implements HealthCheck {
    static final String NAME = "Airbyte API";
    private static final Duration REMEMBER = Duration.ofSeconds(2);

    @Inject AirbyteClient airbyte;

    private volatile Instant checkedAt = Instant.EPOCH;
    private volatile boolean up;

    @Override
    public HealthCheckResponse call() {
        Instant now = Instant.now();
        if (now.isAfter(checkedAt.plus(REMEMBER))) {
            up = airbyte.healthy();
            checkedAt = now;
        }
        return HealthCheckResponse.named(NAME)
                .status(up)
                .withData("circuitBreaker", airbyte.breakerState().name().toLowerCase())
                .withData(
                        "detail",
                        up
                                ? "Airbyte answers"
                                : "Airbyte is unreachable: requests are kept and served when it is back")
                .build();
    }
}
