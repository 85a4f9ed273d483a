package io.tributary.support;

/**
 * Thrown by resources and services to answer with a problem; {@link ProblemMappers} turns it into
 * an {@code application/problem+json} response. The detail is shown to the caller: never put a
 * secret in it.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String title;
    private final String detail;

    public ApiException(int status, String title, String detail) {
        super(status + " " + title + ": " + detail);
        this.status = status;
        this.title = title;
        this.detail = detail;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "Bad Request", detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "Not Found", detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "Conflict", detail);
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(503, "Service Unavailable", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public Problem problem() {
        return Problem.of(status, title, detail);
    }
}
