package io.tributary.bench.reference;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code reference.*}: every key also as an env var ({@code REFERENCE_SECRET}, ...). */
@ConfigMapping(prefix = "reference")
public interface ReferenceConfig {
    /** The one Standard Webhooks secret ({@code whsec_} + base64) every hook id is signed with. */
    String secret();

    /** Where accepted deliveries go (created by the benchmark, or auto-created by the broker). */
    @WithDefault("tributary.bench.reference")
    String topic();

    /** No Kafka acknowledgement within this: 503. */
    @WithDefault("5s")
    Duration ackTimeout();

    /** How far a {@code webhook-timestamp} may be from now, as the trigger-service allows. */
    @WithDefault("5m")
    Duration signatureTolerance();
}
