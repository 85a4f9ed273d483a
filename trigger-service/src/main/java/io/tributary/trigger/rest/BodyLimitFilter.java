package io.tributary.trigger.rest;

import io.tributary.support.Problems;
import io.tributary.trigger.TriggerMetrics;
import io.tributary.trigger.config.TriggerConfig;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a webhook whose declared Content-Length is above the limit before its body is read (413
 * problem). Bodies without a length are measured by {@link WebhookResource}.
 */
public class BodyLimitFilter {
    // A provider: filters are created at static init, before the runtime configuration exists.
    @Inject Provider<TriggerConfig> config;
    @Inject TriggerMetrics metrics;

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> limit(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/webhooks/")) {
            return Optional.empty();
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return Optional.empty();
        }
        long declared;
        try {
            declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Optional.of(
                    Problems.response(400, "Bad Request", "Content-Length is not a number"));
        }
        if (declared > config.get().maxBodyBytes()) {
            metrics.rejected("too_large");
            return Optional.of(tooLarge(config.get().maxBodyBytes()));
        }
        return Optional.empty();
    }

    static Response tooLarge(int max) {
        return Problems.response(
                413, "Content Too Large", "webhook bodies are limited to " + max + " bytes");
    }
}
