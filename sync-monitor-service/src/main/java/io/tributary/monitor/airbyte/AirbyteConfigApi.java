package io.tributary.monitor.airbyte;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * The one call the monitor makes to self-managed Airbyte's Configuration API (not the public API;
 * Airbyte Cloud has none). Package-private: {@link AirbyteClient#streamStats} is the way in.
 */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
interface AirbyteConfigApi {

    /** {@code JobInfoRead}: the job and its attempts, each with its {@code streamStats[]}. */
    @POST
    @Path("/jobs/get")
    @Consumes(MediaType.APPLICATION_JSON)
    Response job(@HeaderParam("Authorization") String auth, Map<String, Long> body);
}
