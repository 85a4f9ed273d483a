package io.tributary.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An Airbyte API error: its HTTP status and the problem body Airbyte sends (types and titles from
 * {@code airbyte-api-problems.yaml}). Thrown by the Java API where the HTTP API would answer an
 * error, so both behave alike.
 */
public final class ApiProblem extends RuntimeException {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ERRORS = "https://reference.airbyte.com/reference/errors";

    private final int status;
    private final transient ObjectNode body;

    private ApiProblem(int status, ObjectNode body) {
        super(
                status
                        + " "
                        + body.path("title").asText(body.path("message").asText())
                        + ": "
                        + body.path("data"));
        this.status = status;
        this.body = body;
    }

    public int status() {
        return status;
    }

    /** The JSON body exactly as sent. */
    public String body() {
        return body.toString();
    }

    private static ObjectNode base(int status, String type, String title, String detail) {
        ObjectNode node = JSON.createObjectNode();
        node.put("status", status);
        node.put("type", type);
        node.put("title", title);
        node.put("detail", detail);
        return node;
    }

    private static ApiProblem withMessage(
            int status, String type, String title, String detail, String message) {
        ObjectNode node = base(status, type, title, detail);
        node.putObject("data").put("message", message);
        return new ApiProblem(status, node);
    }

    /** 409 {@code try-again-later}: what {@code POST /jobs} answers while a sync runs. */
    static ApiProblem tryAgainLater(String message) {
        return withMessage(
                409,
                ERRORS + "#try-again-later",
                "try-again-later",
                "Please try again later.",
                message);
    }

    /** 409 {@code state-conflict}. */
    static ApiProblem stateConflict(String message) {
        return withMessage(
                409, ERRORS + "#409-state-conflict", "state-conflict", "State conflict", message);
    }

    /** 401 {@code invalid-api-key} (no {@code data}, as its schema declares none). */
    static ApiProblem invalidApiKey() {
        return new ApiProblem(
                401,
                base(
                        401,
                        ERRORS + "#invalid-api-key",
                        "invalid-api-key",
                        "The API key in the Authorization header is invalid."));
    }

    /** 404 {@code resource-not-found}, naming the missing resource. */
    static ApiProblem notFound(String resourceType, String resourceId) {
        ObjectNode node =
                base(
                        404,
                        ERRORS + "#resource-not-found",
                        "resource-not-found",
                        "The requested resource could not be found.");
        node.putObject("data").put("resourceType", resourceType).put("resourceId", resourceId);
        return new ApiProblem(404, node);
    }

    /** 422 {@code unprocessable-entity}. */
    static ApiProblem unprocessable(String message) {
        return withMessage(
                422,
                ERRORS + "#unprocessable-entity",
                "unprocessable-entity",
                "The body of the request was not understood",
                message);
    }

    /** 400 {@code bad-request}. */
    static ApiProblem badRequest(String message) {
        return withMessage(
                400,
                ERRORS + "#bad-request",
                "bad-request",
                "The request could not be understood by the server due to malformed syntax.",
                message);
    }

    /**
     * An injected server error: 503 is {@code service-unavailable}, others {@code
     * unexpected-problem}.
     */
    static ApiProblem serverError(int status) {
        if (status == 503) {
            ObjectNode node =
                    base(
                            503,
                            ERRORS,
                            "service-unavailable",
                            "The server is currently unable to handle the request.");
            return new ApiProblem(503, node);
        }
        return withMessage(
                status,
                ERRORS,
                "unexpected-problem",
                "An unexpected problem has occurred. If this is an error that needs to be"
                        + " addressed, please submit a pull request or github issue.",
                "Injected fault (airbyte sandbox)");
    }

    /**
     * 404 of the Configuration API: its {@code NotFoundKnownExceptionInfo} body ({@code id}, {@code
     * message}, {@code exceptionClassName}, stacks), not the public API's problem.
     */
    static ApiProblem configNotFound(String id, String message) {
        ObjectNode node = configBody(message, "IdNotFoundKnownException");
        node.putArray("rootCauseExceptionStack");
        node.put("id", id);
        return new ApiProblem(404, node);
    }

    /** 422 of the Configuration API: {@code InvalidInputExceptionInfo}. */
    static ApiProblem configInvalidInput(String message) {
        ObjectNode node = configBody(message, "BadObjectSchemaKnownException");
        node.putArray("validationErrors");
        return new ApiProblem(422, node);
    }

    private static ObjectNode configBody(String message, String exception) {
        ObjectNode node = JSON.createObjectNode();
        node.put("message", message);
        node.put("exceptionClassName", "io.airbyte.commons.server.errors." + exception);
        node.putArray("exceptionStack");
        return node;
    }
}
