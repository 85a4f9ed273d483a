package io.tributary.monitor.rest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.monitor.airbyte.AirbyteClient;
import io.tributary.monitor.airbyte.AirbyteConnection;
import io.tributary.monitor.airbyte.AirbyteUnavailableException;
import io.tributary.monitor.config.MonitorConfig;
import io.tributary.monitor.job.ConnectionPolicyEntity;
import io.tributary.monitor.job.PolicyRepository;
import io.tributary.support.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Airbyte's connections with Tributary's policies for them (bearer token). */
@Path("/api/connections")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectionsResource {

    @Inject AirbyteClient airbyte;
    @Inject PolicyRepository policies;
    @Inject MonitorConfig config;

    /** A policy as set; {@code deadline} null means the default. */
    public record Policy(Long minRecords, Duration deadline) {}

    /** A connection with its policy and the deadline in force. */
    public record ConnectionView(
            String connectionId,
            String name,
            String status,
            Policy policy,
            Duration effectiveDeadline) {}

    @GET
    @Operation(summary = "Airbyte's connections with names, status and policies")
    public List<ConnectionView> list() {
        List<AirbyteConnection> connections;
        try {
            connections = airbyte.connections();
        } catch (AirbyteUnavailableException e) {
            throw ApiException.unavailable("Airbyte is unreachable now; try again later");
        }
        Map<String, ConnectionPolicyEntity> byId =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        policies.listAll().stream()
                                                .collect(
                                                        Collectors.toMap(
                                                                p -> p.connectionId,
                                                                Function.identity())));
        return connections.stream().map(c -> view(c, byId.get(c.connectionId()))).toList();
    }

    @PUT
    @Path("/{connectionId}/policy")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sets a connection's minimum records and deadline (write scope)")
    public ConnectionView setPolicy(@PathParam("connectionId") String connectionId, Policy body) {
        if (body == null) {
            throw ApiException.badRequest("a JSON body {minRecords, deadline} is required");
        }
        if (body.minRecords() != null && body.minRecords() < 0) {
            throw ApiException.badRequest("minRecords must be 0 or more");
        }
        if (body.deadline() != null && (body.deadline().isNegative() || body.deadline().isZero())) {
            throw ApiException.badRequest("deadline must be a positive ISO-8601 duration");
        }
        Optional<AirbyteConnection> connection;
        try {
            connection = airbyte.connection(connectionId);
        } catch (AirbyteUnavailableException e) {
            throw ApiException.unavailable("Airbyte is unreachable now; try again later");
        }
        if (connection.isEmpty()) {
            throw ApiException.notFound("Airbyte has no connection " + connectionId);
        }
        ConnectionPolicyEntity policy =
                QuarkusTransaction.requiringNew()
                        .call(
                                () -> {
                                    ConnectionPolicyEntity p = policies.findById(connectionId);
                                    if (p == null) {
                                        p = new ConnectionPolicyEntity();
                                        p.connectionId = connectionId;
                                    }
                                    p.minRecords = body.minRecords();
                                    p.deadlineSeconds =
                                            body.deadline() == null
                                                    ? null
                                                    : body.deadline().toSeconds();
                                    p.updatedAt = Instant.now();
                                    policies.persist(p);
                                    return p;
                                });
        return view(connection.get(), policy);
    }

    private ConnectionView view(AirbyteConnection c, ConnectionPolicyEntity p) {
        Policy policy =
                p == null
                        ? null
                        : new Policy(
                                p.minRecords,
                                p.deadlineSeconds == null
                                        ? null
                                        : Duration.ofSeconds(p.deadlineSeconds));
        Duration deadline =
                policy != null && policy.deadline() != null
                        ? policy.deadline()
                        : config.defaultDeadline();
        return new ConnectionView(c.connectionId(), c.name(), c.status(), policy, deadline);
    }
}
