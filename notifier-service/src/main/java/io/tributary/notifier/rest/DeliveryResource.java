package io.tributary.notifier.rest;

import io.tributary.notifier.delivery.Delivery;
import io.tributary.notifier.delivery.DeliveryStore;
import io.tributary.support.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;

/** {@code /api/deliveries}: what was sent, is waiting, or failed, newest first. */
@Path("/api/deliveries")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {
    private static final Set<String> STATUSES =
            Set.of(Delivery.PENDING, Delivery.DELIVERED, Delivery.FAILED);

    @Inject DeliveryStore store;

    @GET
    public List<DeliveryView> list(
            @QueryParam("subscriptionId") String subscriptionId,
            @QueryParam("status") String status,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (status != null && !status.isBlank() && !STATUSES.contains(status)) {
            throw ApiException.badRequest("status must be pending, delivered or failed");
        }
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("limit must be between 1 and 1000");
        }
        return store
                .list(
                        subscriptionId == null || subscriptionId.isBlank() ? null : subscriptionId,
                        status == null || status.isBlank() ? null : status,
                        limit)
                .stream()
                .map(DeliveryView::of)
                .toList();
    }

    @GET
    @Path("/{id}")
    public DeliveryView get(@PathParam("id") String id) {
        return store.find(id)
                .map(DeliveryView::of)
                .orElseThrow(() -> ApiException.notFound("no delivery " + id));
    }
}
