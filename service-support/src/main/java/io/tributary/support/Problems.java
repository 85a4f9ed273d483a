package io.tributary.support;

import jakarta.ws.rs.core.Response;

/** Builds {@code application/problem+json} responses. */
public final class Problems {
    private Problems() {}

    public static Response response(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    public static Response response(int status, String title, String detail) {
        return response(Problem.of(status, title, detail));
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
