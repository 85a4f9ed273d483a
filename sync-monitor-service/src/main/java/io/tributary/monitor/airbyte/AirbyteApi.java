package io.tributary.monitor.airbyte;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * The Airbyte public API calls the monitor makes. Package-private: everything goes through {@link
 * AirbyteClient}, which adds authentication, fault tolerance and metrics. Every method answers the
 * raw {@link Response} (the default exception mapper is off) so that the facade sees each status
 * and problem body.
 */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
interface AirbyteApi {

    @POST
    @Path("/applications/token")
    @Consumes(MediaType.APPLICATION_JSON)
    Response token(Map<String, String> body);

    @GET
    @Path("/health")
    @Produces(MediaType.WILDCARD)
    Response health();

    @GET
    @Path("/connections/{connectionId}")
    Response connection(
            @HeaderParam("Authorization") String auth,
            @PathParam("connectionId") String connectionId);

    @GET
    @Path("/connections")
    Response connections(
            @HeaderParam("Authorization") String auth,
            @QueryParam("limit") Integer limit,
            @QueryParam("offset") Integer offset);

    @POST
    @Path("/jobs")
    @Consumes(MediaType.APPLICATION_JSON)
    Response createJob(@HeaderParam("Authorization") String auth, Map<String, String> body);

    @GET
    @Path("/jobs/{jobId}")
    Response job(@HeaderParam("Authorization") String auth, @PathParam("jobId") long jobId);

    @DELETE
    @Path("/jobs/{jobId}")
    Response cancelJob(@HeaderParam("Authorization") String auth, @PathParam("jobId") long jobId);

    @GET
    @Path("/jobs")
    Response jobs(
            @HeaderParam("Authorization") String auth,
            @QueryParam("connectionId") String connectionId,
            @QueryParam("updatedAtStart") String updatedAtStart,
            @QueryParam("orderBy") String orderBy,
            @QueryParam("limit") Integer limit,
            @QueryParam("offset") Integer offset);
}
