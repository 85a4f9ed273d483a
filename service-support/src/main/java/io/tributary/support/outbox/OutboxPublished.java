package io.tributary.support.outbox;

import java.util.List;

/**
 * Fired (synchronously, CDI) after this instance's relay committed a batch as published: the ids
 * Kafka acknowledged. A caller waiting for its events learns it at once; another instance's relay
 * may publish them too, so such a caller also looks at the outbox now and then.
 */
public record OutboxPublished(List<String> ceIds) {}
