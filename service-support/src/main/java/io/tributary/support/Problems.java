package io.tributary.support;

import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;

/** Builds {@code application/problem+json} responses. */
public final class Problems {
    private Problems() {}

    /** Seconds a 503's caller is asked to wait before retrying ({@code Retry-After}). */
    public static final int RETRY_AFTER_SECONDS = 5;

    public static Response response(Problem problem) {
        Response.ResponseBuilder answer =
                Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (problem.status() == 503) {
            answer.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return answer.build();
    }

    public static Response response(int status, String title, String detail) {
        return response(Problem.of(status, title, detail));
    }

    /**
     * Where in the JSON a mapping error happened, e.g. {@code filter.[0].pointer}; empty at the
     * root.
     */
    public static String jsonPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /** The standard reason phrase of a status, e.g. 404 → "Not Found". */
    public static String title(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        if (known != null) {
            return known.getReasonPhrase();
        }
        switch (status) {
            case 413:
                return "Content Too Large";
            case 422:
                return "Unprocessable Content";
            case 429:
                return "Too Many Requests";
            default:
                return status >= 500 ? "Server Error" : "Client Error";
        }
    }
}
