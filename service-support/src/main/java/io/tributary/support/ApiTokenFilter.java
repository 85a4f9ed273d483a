package io.tributary.support;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Guards every path under {@code /api}: no or an unknown bearer token → 401 (with {@code
 * WWW-Authenticate: Bearer}), a read token on a write method → 403. Runs before resource matching,
 * so an unknown path under {@code /api} tells an anonymous caller nothing.
 */
public class ApiTokenFilter {
    private static final String BEARER = "bearer ";

    @Inject ApiTokens tokens;

    @ServerRequestFilter(preMatching = true, priority = jakarta.ws.rs.Priorities.AUTHENTICATION)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        if (!tokens.protects(request.getUriInfo().getPath())) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String token =
                header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                        ? header.substring(BEARER.length()).trim()
                        : null;
        Optional<ApiCaller> caller = tokens.authenticate(token);
        if (caller.isEmpty()) {
            return Optional.of(
                    Response.fromResponse(
                                    Problems.response(
                                            401,
                                            "Unauthorized",
                                            token == null
                                                    ? "a bearer token is required"
                                                    : "the bearer token is not valid"))
                            .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                            .build());
        }
        if (!caller.get().scope().allows(request.getMethod())) {
            return Optional.of(
                    Problems.response(
                            403,
                            "Forbidden",
                            "this token has the read scope only; writing needs the write scope"));
        }
        boolean secure =
                request.getSecurityContext() != null && request.getSecurityContext().isSecure();
        request.setSecurityContext(new CallerContext(caller.get(), secure));
        return Optional.empty();
    }

    private record CallerContext(ApiCaller caller, boolean secure) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return caller;
        }

        @Override
        public boolean isUserInRole(String role) {
            return role != null
                    && (role.equalsIgnoreCase(caller.scope().name())
                            || (caller.scope() == Scope.WRITE && role.equalsIgnoreCase("read")));
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return "Bearer";
        }
    }
}
