package io.tributary.console.rest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.tributary.console.config.ConsoleConfig;
import io.tributary.console.owners.Owner;
import io.tributary.console.owners.OwnerClient;
import io.tributary.console.run.DeadLetter;
import io.tributary.console.run.DeadLetterRepository;
import io.tributary.console.run.EventRepository;
import io.tributary.console.run.RunRepository;
import io.tributary.console.run.RunStatus;
import io.tributary.console.run.RunSummary;
import io.tributary.console.run.StoredEvent;
import io.tributary.console.run.UnreadableRepository;
import io.tributary.console.web.CurrentSession;
import io.tributary.console.web.Pages;
import io.tributary.console.web.Session;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's pages: overview, runs, a run, dead letters. Server-rendered, every value escaped.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {
    private static final int MAX_ID = 200;

    @Inject RunRepository runs;
    @Inject EventRepository events;
    @Inject DeadLetterRepository deadLetters;
    @Inject UnreadableRepository unreadable;
    @Inject OwnerClient owners;
    @Inject CurrentSession current;
    @Inject ConsoleConfig config;
    @Inject Pages pages;

    /** What the overview shows. */
    public record Overview(
            List<OwnerClient.Health> health,
            Map<String, Long> last24h,
            List<RunSummary> running,
            List<RunSummary> failures,
            Map<String, Long> unreadable,
            long deadLetters,
            long missedExpectations) {}

    /** The runs list's filters as the form shows them again. */
    public record RunFilter(
            String status,
            String connection,
            String transform,
            String trigger,
            String from,
            String to) {}

    @CheckedTemplate(requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance overview(Session session, Overview overview);

        static native TemplateInstance runs(
                Session session,
                List<RunSummary> runs,
                RunFilter filter,
                String next,
                String error);

        static native TemplateInstance run(Session session, RunPage page);

        static native TemplateInstance run$live(Session session, RunPage page);

        static native TemplateInstance deadLetters(
                Session session, List<DeadLetter> letters, long total);
    }

    @GET
    public TemplateInstance overview() {
        // Asked beside the health checks: a hung notifier costs the page one owner timeout.
        var expectations =
                java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> owners.get(Owner.NOTIFIER, ExpectationsResource.LIST));
        List<OwnerClient.Health> health = owners.health();
        Overview o =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        new Overview(
                                                health,
                                                runs.countsSince(
                                                        Instant.now().minus(Duration.ofHours(24))),
                                                runs.latest(RunStatus.RUNNING, 10),
                                                runs.latest(RunStatus.FAILED, 10),
                                                unreadable.countsByTopic(),
                                                deadLetters.count(),
                                                0));
        Map<String, String> names = owners.connectionNames();
        return Templates.overview(
                current.get(),
                new Overview(
                        o.health(),
                        o.last24h(),
                        named(o.running(), names),
                        named(o.failures(), names),
                        o.unreadable(),
                        o.deadLetters(),
                        ExpectationsResource.missed(expectations.join())));
    }

    @GET
    @Path("runs")
    public Response runs(
            @QueryParam("status") String status,
            @QueryParam("connection") String connection,
            @QueryParam("transform") String transform,
            @QueryParam("trigger") String trigger,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("after") String after) {
        RunFilter shown = new RunFilter(status, connection, transform, trigger, from, to);
        RunRepository.Filter filter;
        RunRepository.Cursor cursor;
        try {
            filter =
                    new RunRepository.Filter(
                            blank(status) ? null : parseStatus(status),
                            blankToNull(connection),
                            blankToNull(transform),
                            blankToNull(trigger),
                            day(from, 0),
                            day(to, 1));
            cursor = cursor(after);
        } catch (IllegalArgumentException e) {
            return Response.status(400)
                    .entity(Templates.runs(current.get(), List.of(), shown, null, e.getMessage()))
                    .build();
        }
        int size = config.pageSize();
        List<RunSummary> page =
                QuarkusTransaction.requiringNew().call(() -> runs.list(filter, cursor, size + 1));
        String next = null;
        if (page.size() > size) {
            page = page.subList(0, size);
            RunSummary last = page.get(size - 1);
            next =
                    "/runs?"
                            + query("status", status)
                            + query("connection", connection)
                            + query("transform", transform)
                            + query("trigger", trigger)
                            + query("from", from)
                            + query("to", to)
                            + "after="
                            + encode(last.startedAt().toEpochMilli() + "~" + last.correlationId());
        }
        return Response.ok(
                        Templates.runs(
                                current.get(),
                                named(page, owners.connectionNames()),
                                shown,
                                next,
                                null))
                .build();
    }

    @GET
    @Path("runs/{id}")
    public Response run(@PathParam("id") String id) {
        return detail(id, false);
    }

    /** The live part of a run's page, fetched every 2 s by the page's script while it runs. */
    @GET
    @Path("runs/{id}/live")
    public Response live(@PathParam("id") String id) {
        return detail(id, true);
    }

    private Response detail(String id, boolean live) {
        if (id == null || id.length() > MAX_ID) {
            return pages.error(404, "There is no such run.");
        }
        record Detail(RunSummary run, List<StoredEvent> events) {}
        Optional<Detail> found =
                QuarkusTransaction.requiringNew()
                        .call(() -> runs.find(id).map(r -> new Detail(r, events.ofRun(id))));
        if (found.isEmpty()) {
            return pages.error(404, "There is no run with this correlation id (yet).");
        }
        RunPage page =
                RunPage.of(
                        named(found.get().run(), owners.connectionNames()),
                        found.get().events(),
                        Instant.now());
        return Response.ok(
                        live
                                ? Templates.run$live(current.get(), page)
                                : Templates.run(current.get(), page))
                .build();
    }

    @GET
    @Path("dead-letters")
    public TemplateInstance deadLetters() {
        record Letters(List<DeadLetter> newest, long total) {}
        Letters l =
                QuarkusTransaction.requiringNew()
                        .call(() -> new Letters(deadLetters.newest(200), deadLetters.count()));
        return Templates.deadLetters(current.get(), l.newest(), l.total());
    }

    /** The runs with their sync steps labelled by connection name. */
    static List<RunSummary> named(List<RunSummary> runs, Map<String, String> names) {
        return runs.stream().map(r -> named(r, names)).toList();
    }

    static RunSummary named(RunSummary r, Map<String, String> names) {
        if (names.isEmpty()) {
            return r;
        }
        return new RunSummary(
                r.correlationId(),
                r.startedAt(),
                r.updatedAt(),
                r.status(),
                r.triggerKind(),
                r.triggerId(),
                r.connections(),
                r.transforms(),
                r.steps().stream().map(s -> s.named(names)).toList(),
                r.failure(),
                r.eventCount());
    }

    private static RunStatus parseStatus(String s) {
        RunStatus status = RunStatus.of(s);
        if (status == null) {
            throw new IllegalArgumentException("unknown status '" + s + "'");
        }
        return status;
    }

    private static Instant day(String s, int plusDays) {
        if (blank(s)) {
            return null;
        }
        try {
            return LocalDate.parse(s).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("dates are YYYY-MM-DD, not '" + s + "'");
        }
    }

    private static RunRepository.Cursor cursor(String after) {
        if (blank(after)) {
            return null;
        }
        int sep = after.indexOf('~');
        try {
            return new RunRepository.Cursor(
                    Instant.ofEpochMilli(Long.parseLong(after.substring(0, sep))),
                    after.substring(sep + 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the page link is broken");
        }
    }

    private static String query(String name, String value) {
        return blank(value) ? "" : name + "=" + encode(value) + "&";
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String blankToNull(String s) {
        return blank(s) ? null : s.trim();
    }
}
