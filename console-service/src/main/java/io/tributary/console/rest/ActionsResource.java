package io.tributary.console.rest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.tributary.console.owners.Owner;
import io.tributary.console.owners.OwnerAnswer;
import io.tributary.console.owners.OwnerClient;
import io.tributary.console.web.CurrentSession;
import io.tributary.console.web.Pages;
import io.tributary.console.web.Session;
import io.tributary.console.web.SessionRepository;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Actions, each through the owner of the state (the console owns none): sync now, reset + sync, run
 * a transform, cancel a dbt run or an Airbyte job, retry a failed dbt run's failed nodes, re-send a
 * notification, enable or disable a hook or schedule. Each checks the session's CSRF token (the
 * filter already checked the origin and the write scope), shows the owner's answer, and is
 * idempotent when clicked twice.
 */
@Path("/actions")
@Produces(MediaType.TEXT_HTML)
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
public class ActionsResource {
    private static final Logger LOG = Logger.getLogger(ActionsResource.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+=-]{0,199}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9-]{8,80}");

    @Inject OwnerClient owners;
    @Inject CurrentSession current;
    @Inject Pages pages;

    /** What an action did, for the outcome page. */
    public record Outcome(
            boolean ok, String title, String message, List<Link> links, String back) {}

    public record Link(String href, String text) {}

    @CheckedTemplate(requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance outcome(Session session, Outcome outcome);
    }

    @POST
    @Path("connections/{id}/sync")
    public Response sync(
            @PathParam("id") String id,
            @FormParam("csrf") String csrf,
            @FormParam("key") String key,
            @FormParam("jobs") String jobs) {
        Response refused = refuse(csrf, id);
        if (refused != null) {
            return refused;
        }
        if (key == null || !KEY.matcher(key).matches()) {
            return pages.error(
                    400, "The form is incomplete (no idempotency key): reload the page.");
        }
        boolean reset = "reset+sync".equals(jobs);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("connectionIds").add(id);
        var types = body.putArray("jobTypes");
        if (reset) {
            types.add("reset");
        }
        types.add("sync");
        body.put("reason", "console: " + current.get().caller());
        OwnerAnswer a = owners.send(Owner.TRIGGER, "POST", "/api/syncs", body, "console-" + key);
        List<Link> links = new ArrayList<>();
        if (a.ok() && a.body() != null) {
            // A manual request's correlation id is its request id: each is a run.
            a.body()
                    .path("requestIds")
                    .forEach(
                            r ->
                                    links.add(
                                            new Link(
                                                    "/runs/" + enc(r.asText()),
                                                    "run " + r.asText())));
        }
        String what = reset ? "Reset + sync" : "Sync";
        return show(
                a,
                what + " requested",
                a.ok()
                        ? (a.status() == 200
                                ? what + " was already requested by this form: the same run(s)."
                                : what + " requested: follow the run below.")
                        : a.message(),
                links,
                "/connections");
    }

    @POST
    @Path("transforms/{name}/run")
    public Response runTransform(@PathParam("name") String name, @FormParam("csrf") String csrf) {
        return act(
                csrf,
                name,
                Owner.TRANSFORM,
                "POST",
                "/api/transforms/" + enc(name) + "/runs",
                "Run " + name,
                "dbt run queued (one per project at a time; a second click joins it).",
                "/transforms");
    }

    @POST
    @Path("dbt-runs/{runId}/cancel")
    public Response cancelDbt(
            @PathParam("runId") String runId,
            @FormParam("csrf") String csrf,
            @FormParam("back") String back) {
        return act(
                csrf,
                runId,
                Owner.TRANSFORM,
                "DELETE",
                "/api/runs/" + enc(runId),
                "Cancel dbt run",
                "Cancel requested: dbt is stopped, the run ends as failed (cancelled).",
                back(back));
    }

    /**
     * {@code dbt retry} of a failed run's failed and skipped nodes, as a new run of the
     * transform-service linked to it; the page shows the new run's id or the owner's refusal.
     */
    @POST
    @Path("dbt-runs/{runId}/retry")
    public Response retryDbt(
            @PathParam("runId") String runId,
            @FormParam("csrf") String csrf,
            @FormParam("back") String back) {
        Response refused = refuse(csrf, runId);
        if (refused != null) {
            return refused;
        }
        OwnerAnswer a =
                owners.send(
                        Owner.TRANSFORM, "POST", "/api/runs/" + enc(runId) + "/retry", null, null);
        String retry = a.ok() && a.body() != null ? a.body().path("runId").asText(null) : null;
        String message =
                !a.ok()
                        ? a.message()
                        : "dbt retry queued as run "
                                + (retry == null ? "(the transform-service named none)" : retry)
                                + ": only the failed and skipped nodes of run "
                                + runId
                                + " run again. It shows on the run's page when it starts.";
        return show(a, "Retry failed nodes", message, List.of(), back(back));
    }

    @POST
    @Path("jobs/{jobId}/cancel")
    public Response cancelJob(
            @PathParam("jobId") String jobId,
            @FormParam("csrf") String csrf,
            @FormParam("back") String back) {
        return act(
                csrf,
                jobId,
                Owner.MONITOR,
                "POST",
                "/api/jobs/" + enc(jobId) + "/cancel",
                "Cancel Airbyte job " + jobId,
                "Cancel requested: the run ends with sync.cancelled.",
                back(back));
    }

    @POST
    @Path("deliveries/{id}/resend")
    public Response resend(
            @PathParam("id") String id,
            @FormParam("csrf") String csrf,
            @FormParam("back") String back) {
        return act(
                csrf,
                id,
                Owner.NOTIFIER,
                "POST",
                "/api/deliveries/" + enc(id) + "/resend",
                "Re-send notification",
                "Queued for delivery again.",
                back(back));
    }

    @POST
    @Path("{kind: hooks|schedules}/{id}/{change: enable|disable}")
    public Response toggle(
            @PathParam("kind") String kind,
            @PathParam("id") String id,
            @PathParam("change") String change,
            @FormParam("csrf") String csrf) {
        String noun = kind.equals("hooks") ? "Hook" : "Schedule";
        return act(
                csrf,
                id,
                Owner.TRIGGER,
                "POST",
                "/api/" + kind + "/" + enc(id) + "/" + change,
                noun + " " + id,
                noun + " " + change + "d.",
                "/definitions");
    }

    /** One owner call without a body: checked, sent, its answer shown. */
    private Response act(
            String csrf,
            String id,
            Owner owner,
            String method,
            String path,
            String title,
            String done,
            String back) {
        Response refused = refuse(csrf, id);
        if (refused != null) {
            return refused;
        }
        OwnerAnswer a = owners.send(owner, method, path, null, null);
        return show(a, title, a.ok() ? done : a.message(), List.of(), back);
    }

    private Response refuse(String csrf, String id) {
        Session s = current.get();
        if (!SessionRepository.same(s.csrfToken(), csrf)) {
            return pages.error(403, "The form was stale or forged (CSRF token): nothing changed.");
        }
        if (id == null || !ID.matcher(id).matches()) {
            return pages.error(400, "That id is not valid: nothing changed.");
        }
        return null;
    }

    private Response show(
            OwnerAnswer a, String title, String message, List<Link> links, String back) {
        LOG.infof(
                "console action by %s: %s → %s %d",
                current.get().caller(), title, a.owner().service(), a.status());
        int status = a.ok() ? 200 : (a.reachable() ? (a.status() >= 500 ? 502 : a.status()) : 503);
        return Response.status(status)
                .entity(
                        Templates.outcome(
                                current.get(), new Outcome(a.ok(), title, message, links, back)))
                .build();
    }

    private static String back(String back) {
        return back != null && back.startsWith("/") && !back.startsWith("//") && back.length() < 300
                ? back
                : "/";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
