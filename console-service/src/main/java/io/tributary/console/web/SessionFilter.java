package io.tributary.console.web;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every page needs a signed-in session (the {@value #COOKIE} cookie); an action (any method but
 * GET/HEAD) also needs a write-scope session and a same-origin request. The CSRF token itself is
 * checked by each action against its form field. Every answer gets a strict
 * Content-Security-Policy: no inline script or style, so an escaped value can never become code.
 */
public class SessionFilter {
    public static final String COOKIE = "tributary_session";
    private static final Set<String> SAFE = Set.of("GET", "HEAD");

    @Inject SessionRepository sessions;
    @Inject CurrentSession current;
    @Inject Pages pages;

    @ServerRequestFilter
    public Optional<Response> requireSession(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (isPublic(path)) {
            return Optional.empty();
        }
        boolean safe = SAFE.contains(request.getMethod());
        if (!safe && !sameOrigin(request)) {
            return Optional.of(pages.error(403, "This action came from another site."));
        }
        Cookie cookie = request.getCookies().get(COOKIE);
        Optional<Session> session =
                cookie == null
                        ? Optional.empty()
                        : QuarkusTransaction.requiringNew()
                                .call(() -> sessions.find(cookie.getValue()));
        if (session.isEmpty()) {
            if (safe) {
                URI signIn =
                        URI.create(
                                "/signin?next="
                                        + java.net.URLEncoder.encode(
                                                request.getUriInfo().getRequestUri().getRawPath(),
                                                java.nio.charset.StandardCharsets.UTF_8));
                return Optional.of(Response.seeOther(signIn).build());
            }
            return Optional.of(
                    pages.error(401, "Sign in first: your session is missing or expired."));
        }
        if (!safe && !path.equals("/signout") && !session.get().canAct()) {
            return Optional.of(
                    pages.error(
                            403, "Your token has the read scope: acting needs the write scope."));
        }
        current.set(session.get());
        return Optional.empty();
    }

    @ServerResponseFilter
    public void securityHeaders(ContainerResponseContext response) {
        response.getHeaders()
                .putSingle(
                        "Content-Security-Policy",
                        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'"
                                + " data:; frame-ancestors 'none'; form-action 'self'; base-uri"
                                + " 'none'");
        response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
        response.getHeaders().putSingle("Referrer-Policy", "same-origin");
        response.getHeaders().putSingle("X-Frame-Options", "DENY");
        if (!response.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL)) {
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }

    static boolean isPublic(String path) {
        return path.equals("/signin")
                || path.startsWith("/q/")
                || path.startsWith("/static/")
                || path.startsWith("/api/")
                || path.equals("/favicon.ico");
    }

    /**
     * Origin (or, without it, Referer) must name this host: a form posted from elsewhere is
     * refused.
     */
    static boolean sameOrigin(ContainerRequestContext request) {
        return sameOrigin(
                request.getHeaderString("Origin"),
                request.getHeaderString("Referer"),
                request.getHeaderString(HttpHeaders.HOST));
    }

    public static boolean sameOrigin(String origin, String referer, String host) {
        if (origin == null || origin.equals("null")) {
            if (referer == null) {
                return origin == null; // neither header: not a browser's cross-site form
            }
            origin = referer;
        }
        try {
            URI o = URI.create(origin);
            String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return host != null && host.equalsIgnoreCase(authority);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
