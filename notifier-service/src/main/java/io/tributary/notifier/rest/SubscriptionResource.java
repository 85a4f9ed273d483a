package io.tributary.notifier.rest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.notifier.delivery.Delivery;
import io.tributary.notifier.delivery.DeliveryPlanner;
import io.tributary.notifier.subscription.Subscription;
import io.tributary.notifier.subscription.SubscriptionRequest;
import io.tributary.notifier.subscription.SubscriptionService;
import io.tributary.notifier.subscription.SubscriptionView;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;

/**
 * {@code /api/subscriptions}: CRUD and a test message. Secrets are masked in every answer; a masked
 * value sent back on PUT keeps the stored secret.
 */
@Path("/api/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SubscriptionResource {

    @Inject SubscriptionService service;
    @Inject DeliveryPlanner planner;

    @GET
    public List<SubscriptionView> list() {
        return service.list();
    }

    @GET
    @Path("/{id}")
    public SubscriptionView get(@PathParam("id") String id) {
        return service.get(id);
    }

    /** 201 with the subscription; a generated webhook secret is shown in this answer only. */
    @POST
    public Response create(SubscriptionRequest request) {
        SubscriptionService.Created created = service.create(request);
        return Response.created(
                        UriBuilder.fromPath("/api/subscriptions/{id}")
                                .build(created.subscription().id()))
                .entity(created.view())
                .build();
    }

    @PUT
    @Path("/{id}")
    public SubscriptionView replace(@PathParam("id") String id, SubscriptionRequest request) {
        return service.replace(id, request);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        service.delete(id);
        return Response.noContent().build();
    }

    /**
     * Queues a test message (a made-up sync failure) through the subscription's channel, even if it
     * is disabled; 202 with the delivery to follow on {@code /api/deliveries/{id}}.
     */
    @POST
    @Path("/{id}/test")
    public Response test(@PathParam("id") String id) {
        Subscription subscription = service.find(id);
        Delivery delivery =
                QuarkusTransaction.requiringNew().call(() -> planner.planTest(subscription));
        return Response.accepted(DeliveryView.of(delivery))
                .location(UriBuilder.fromPath("/api/deliveries/{id}").build(delivery.id()))
                .build();
    }
}
