package io.tributary.support;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every exception that leaves a resource into an {@code application/problem+json} answer:
 * {@link ApiException} as given, malformed or ill-typed JSON and bean validation errors as 400,
 * JAX-RS errors (404, 405, 406, 415...) with their status, anything else as a 500 whose detail says
 * nothing about the internals (it is logged instead).
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return Problems.response(e.problem());
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e) {
        return Problems.response(
                400, "Malformed JSON", "the body is not valid JSON: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response jsonMapping(JsonMappingException e) {
        String path = Problems.jsonPath(e);
        String where = path.isEmpty() ? "" : " at '" + path + "'";
        return Problems.response(
                400,
                "Invalid JSON",
                "the body does not fit" + where + ": " + firstLine(e.getOriginalMessage()));
    }

    /** Named so Quarkus' own mapper for this subtype (plain JSON, not problem+json) never wins. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return jsonMapping(e);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return Problems.response(400, "Invalid JSON", firstLine(e.getOriginalMessage()));
    }

    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e) {
        String detail =
                e.getConstraintViolations().stream()
                        .sorted(Comparator.comparing(v -> String.valueOf(v.getPropertyPath())))
                        .map(ProblemMappers::describe)
                        .collect(Collectors.joining("; "));
        return Problems.response(400, "Validation Failed", detail);
    }

    @ServerExceptionMapper
    public Response validation(ValidationException e) {
        LOG.warn("validation could not run", e);
        return Problems.response(500, "Server Error", "the request could not be validated");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        Throwable cause = e.getCause();
        if (cause instanceof JsonParseException) {
            return malformedJson((JsonParseException) cause);
        }
        if (cause instanceof JsonMappingException) {
            return jsonMapping((JsonMappingException) cause);
        }
        if (status >= 500) {
            LOG.error("request failed", e);
            return Problems.response(
                    status, Problems.title(status), "the request could not be completed");
        }
        String detail = e.getMessage();
        if (detail == null || detail.isBlank() || detail.startsWith("HTTP ")) {
            detail = defaultDetail(status);
        }
        Response.ResponseBuilder answer =
                Response.fromResponse(Problems.response(status, Problems.title(status), detail));
        // Keep headers such as Allow (405) that the original response carried.
        e.getResponse()
                .getHeaders()
                .forEach(
                        (name, values) -> {
                            if (!name.equalsIgnoreCase("Content-Type")
                                    && !name.equalsIgnoreCase("Content-Length")) {
                                values.forEach(v -> answer.header(name, v));
                            }
                        });
        return answer.type(Problem.MEDIA_TYPE).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (Outages.isDatabaseOutage(e)) {
            LOG.warnf("database unavailable: %s", Outages.rootMessage(e));
            return Problems.response(
                    503,
                    "Service Unavailable",
                    "the database is unavailable; nothing was changed, retry later");
        }
        LOG.error("unexpected failure", e);
        return Problems.response(500, "Server Error", "the request could not be completed");
    }

    private static String describe(ConstraintViolation<?> v) {
        String path = String.valueOf(v.getPropertyPath());
        // Drop the method and parameter prefix ("create.body.") users do not know about.
        int dot = path.indexOf('.', path.indexOf('.') + 1);
        String field = dot > 0 ? path.substring(dot + 1) : path;
        return field + " " + v.getMessage();
    }

    private static String defaultDetail(int status) {
        switch (status) {
            case 404:
                return "no such resource";
            case 405:
                return "method not allowed on this resource";
            case 406:
                return "cannot produce an acceptable representation";
            case 415:
                return "unsupported content type";
            default:
                return Problems.title(status);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable body";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
