package io.tributary.support.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code tributary.outbox.*}: how the relay publishes what services store. */
@ConfigMapping(prefix = "tributary.outbox")
public interface OutboxConfig {
    /** How often the relay looks for events when nothing woke it (a commit wakes it at once). */
    @WithDefault("1s")
    Duration interval();

    /** Events sent per relay transaction. */
    @WithDefault("200")
    int batch();

    /** How long to wait for Kafka to acknowledge a batch before trying again later. */
    @WithDefault("30s")
    Duration ackTimeout();

    /** Published events are kept this long (for inspection), then removed. */
    @WithDefault("7d")
    Duration retention();
}
