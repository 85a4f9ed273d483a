package io.tributary.trigger.definition;

import io.tributary.support.ApiException;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/** What an id may look like: anything else is refused before it reaches a query, a log or Kafka. */
public final class Ids {
    /** Hook, schedule and rule ids: they appear in URLs. */
    public static final Pattern DEFINITION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    /** Airbyte connection ids are UUIDs. */
    public static final Pattern CONNECTION_ID =
            Pattern.compile(
                    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Delivery ids (webhook-id, X-GitHub-Delivery, Stripe event id, Idempotency-Key). */
    public static final Pattern DELIVERY_ID =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+=-]{0,199}");

    public static final int MAX_CONNECTIONS = 100;

    private Ids() {}

    public static boolean isDefinitionId(String id) {
        return id != null && DEFINITION_ID.matcher(id).matches();
    }

    public static boolean isDeliveryId(String id) {
        return id != null && DELIVERY_ID.matcher(id).matches();
    }

    public static void requireDefinitionId(String id) {
        if (!isDefinitionId(id)) {
            throw ApiException.badRequest(
                    "id must match "
                            + DEFINITION_ID.pattern()
                            + " (letters, digits, . _ -; up to 100)");
        }
    }

    /** Connection ids: 1 to 100 distinct UUIDs, normalized to lowercase. */
    public static List<String> requireConnections(String field, List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw ApiException.badRequest(field + " must name at least one connection");
        }
        if (ids.size() > MAX_CONNECTIONS) {
            throw ApiException.badRequest(
                    field + " names more than " + MAX_CONNECTIONS + " connections");
        }
        var seen = new HashSet<String>();
        for (String id : ids) {
            if (id == null || !CONNECTION_ID.matcher(id).matches()) {
                throw ApiException.badRequest(field + " must hold Airbyte connection UUIDs");
            }
            if (!seen.add(id.toLowerCase(java.util.Locale.ROOT))) {
                throw ApiException.badRequest(field + " names " + id + " twice");
            }
        }
        return ids.stream().map(s -> s.toLowerCase(java.util.Locale.ROOT)).toList();
    }
}
