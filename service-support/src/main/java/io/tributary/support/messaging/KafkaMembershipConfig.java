package io.tributary.support.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code tributary.kafka.*}: how this instance's consumers belong to their groups. */
@ConfigMapping(prefix = "tributary.kafka")
public interface KafkaMembershipConfig {
    /**
     * This instance's stable name (the pod name in Kubernetes, the service name in local runs).
     * When set, each consumer is a static group member ({@code group.instance.id} = name +
     * channel): a restarted instance gets its partitions back at once instead of after its dead
     * self's session timeout. Two live instances must never share it. Unset: dynamic membership.
     */
    Optional<String> instanceId();

    /**
     * How long a static member that is gone keeps its partitions before the group moves them (only
     * with {@code instance-id}); a dynamic member leaves at once when it stops cleanly.
     */
    @WithDefault("15s")
    Duration staticSessionTimeout();
}
