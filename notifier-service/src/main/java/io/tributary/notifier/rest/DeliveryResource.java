package io.tributary.notifier.rest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.notifier.delivery.Delivery;
import io.tributary.notifier.delivery.DeliveryRepository;
import io.tributary.notifier.subscription.Subscription;
import io.tributary.notifier.subscription.SubscriptionRepository;
import io.tributary.support.ApiCaller;
import io.tributary.support.ApiException;
import io.tributary.support.ApiTokens;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/** {@code /api/deliveries}: what was sent, is waiting, or failed, newest first. */
@Path("/api/deliveries")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {
    private static final Logger LOG = Logger.getLogger(DeliveryResource.class);
    private static final Set<String> STATUSES =
            Set.of(Delivery.PENDING, Delivery.DELIVERED, Delivery.FAILED);

    @Inject DeliveryRepository deliveries;
    @Inject SubscriptionRepository subscriptions;

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
        return deliveries
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
        return deliveries.findDelivery(id).map(DeliveryView::of).orElseThrow(() -> notFound(id));
    }

    /**
     * Queues a failed delivery again: fresh attempts from now, the same delivery id (the generic
     * webhook's {@code webhook-id}; PagerDuty's {@code dedup_key} is the subject's), and a new
     * outcome event. 202 with the delivery; a pending one (queued, in progress, or resent by a
     * first click) is left as it is and also answers 202; a delivered one is a 409, as is a failed
     * one whose subscription is disabled (it would only fail again).
     */
    @POST
    @Path("/{id}/resend")
    @Consumes(MediaType.WILDCARD)
    public Response resend(@PathParam("id") String id, @Context SecurityContext security) {
        Delivery delivery = read(id);
        if (Delivery.FAILED.equals(delivery.status())) {
            Optional<Subscription> subscription =
                    subscriptions.findSubscription(delivery.subscriptionId());
            if (subscription.isEmpty()) {
                throw notFound(id); // deleted in the meantime: its deliveries go with it
            }
            if (!subscription.get().enabled() && !Delivery.TEST.equals(delivery.kind())) {
                throw ApiException.conflict(
                        "the subscription is disabled"
                                + (subscription.get().disabledReason() == null
                                        ? ""
                                        : " (" + subscription.get().disabledReason() + ")")
                                + ": enable it, then resend");
            }
            Optional<Delivery> requeued =
                    QuarkusTransaction.requiringNew()
                            .call(() -> deliveries.requeueFailed(id, Instant.now()));
            if (requeued.isPresent()) {
                LOG.infof(
                        "delivery %s queued again (resend %d) by %s",
                        id,
                        requeued.get().resends(),
                        ApiTokens.caller(security).map(ApiCaller::name).orElse("?"));
                return Response.accepted(DeliveryView.of(requeued.get())).build();
            }
            // Changed since it was read (a concurrent click requeued it): answer for what it is.
            delivery = read(id);
        }
        if (Delivery.DELIVERED.equals(delivery.status())) {
            throw ApiException.conflict("already delivered");
        }
        return Response.accepted(DeliveryView.of(delivery)).build();
    }

    /**
     * The row as it is now (its own transaction: nothing read earlier in this request is reused).
     */
    private Delivery read(String id) {
        return QuarkusTransaction.requiringNew()
                .call(() -> deliveries.findDelivery(id))
                .orElseThrow(() -> notFound(id));
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("no delivery " + id);
    }
}
