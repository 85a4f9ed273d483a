package io.tributary.console.rest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.tributary.console.config.ConsoleConfig;
import io.tributary.console.web.CurrentSession;
import io.tributary.console.web.SessionFilter;
import io.tributary.console.web.SessionRepository;
import io.tributary.support.ApiCaller;
import io.tributary.support.ApiTokens;
import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Sign-in with an API token (the same tokens as every service's API: read scope to look, write
 * scope to act), turned into an HttpOnly, SameSite=Strict session cookie. The token is never
 * stored, logged or shown again.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class SignInResource {
    private static final Logger LOG = Logger.getLogger(SignInResource.class);

    @Inject ApiTokens tokens;
    @Inject SessionRepository sessions;
    @Inject ConsoleConfig config;
    @Inject CurrentSession current;
    @Inject io.tributary.console.web.Pages pages;

    @CheckedTemplate(requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance signin(String next, String error);
    }

    @GET
    @Path("signin")
    public TemplateInstance form(@QueryParam("next") String next) {
        return Templates.signin(safeNext(next), null);
    }

    @POST
    @Path("signin")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(
            @FormParam("token") String token,
            @FormParam("next") String next,
            @Context UriInfo uri,
            @Context HttpHeaders headers) {
        if (!SessionFilter.sameOrigin(
                headers.getHeaderString("Origin"),
                headers.getHeaderString("Referer"),
                headers.getHeaderString(HttpHeaders.HOST))) {
            return Response.status(403)
                    .entity(Templates.signin("/", "Sign in from this console's own page."))
                    .build();
        }
        Optional<ApiCaller> caller = tokens.authenticate(token == null ? null : token.trim());
        if (caller.isEmpty()) {
            LOG.info("console sign-in refused: unknown token");
            return Response.status(401)
                    .entity(Templates.signin(safeNext(next), "This token is not valid."))
                    .build();
        }
        String id =
                QuarkusTransaction.requiringNew()
                        .call(() -> sessions.create(caller.get().name(), caller.get().scope()));
        LOG.infof("console sign-in: %s (%s)", caller.get().name(), caller.get().scope());
        boolean https = "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
        NewCookie cookie =
                new NewCookie.Builder(SessionFilter.COOKIE)
                        .value(id)
                        .path("/")
                        .httpOnly(true)
                        .secure(https)
                        .sameSite(NewCookie.SameSite.STRICT)
                        .maxAge((int) config.sessionTtl().toSeconds())
                        .build();
        return Response.seeOther(URI.create(safeNext(next))).cookie(cookie).build();
    }

    @POST
    @Path("signout")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut(
            @CookieParam(SessionFilter.COOKIE) String cookie, @FormParam("csrf") String csrf) {
        if (!SessionRepository.same(current.get().csrfToken(), csrf)) {
            return pages.error(403, "The form was stale or forged (CSRF token): nothing changed.");
        }
        QuarkusTransaction.requiringNew().run(() -> sessions.delete(cookie));
        NewCookie gone =
                new NewCookie.Builder(SessionFilter.COOKIE)
                        .value("")
                        .path("/")
                        .httpOnly(true)
                        .sameSite(NewCookie.SameSite.STRICT)
                        .maxAge(0)
                        .build();
        return Response.seeOther(URI.create("/signin")).cookie(gone).build();
    }

    /** Only a local path: an open redirect to another site is never followed. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")) {
            return "/";
        }
        return next.length() > 500 ? "/" : next;
    }
}
