package io.tributary.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A plain HTTP client for the sandbox's API, as a Tributary service would call it. Every exchange
 * is checked against the official spec (see {@link SpecValidator}).
 */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    /** What the exchanges are checked against. */
    private enum Spec {
        PUBLIC_API,
        CONFIG_API,
        NONE
    }

    private final String base;
    private final Spec spec;
    private String authorization;

    ApiClient(String base) {
        this(base, Spec.PUBLIC_API);
    }

    private ApiClient(String base, Spec spec) {
        this.base = base;
        this.spec = spec;
    }

    /** For the sandbox's own /sandbox endpoints, which the Airbyte spec does not describe. */
    static ApiClient unvalidated(String base) {
        return new ApiClient(base, Spec.NONE);
    }

    /**
     * For the Configuration API ({@code base} ends in {@code /api/v1}), checked against our
     * description of its shapes ({@link SpecValidator#checkConfigApi}).
     */
    static ApiClient configApi(String base) {
        return new ApiClient(base, Spec.CONFIG_API);
    }

    /** One answer; {@code json()} parses the body. */
    record Reply(int status, String contentType, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    ApiClient bearer(String token) {
        this.authorization = token == null ? null : "Bearer " + token;
        return this;
    }

    ApiClient basic(String user, String password) {
        this.authorization =
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Fetches a token with a JSON body, as the architecture asks, and uses it from now on. */
    ApiClient login(String clientId, String secret) {
        Reply r = token(clientId, secret, false);
        if (r.status() != 200) {
            throw new AssertionError("token request failed: " + r);
        }
        return bearer(r.json().get("access_token").asText());
    }

    Reply token(String clientId, String secret, boolean form) {
        if (form) {
            String body =
                    "grant_type=client_credentials&client_id="
                            + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                            + "&client_secret="
                            + URLEncoder.encode(secret, StandardCharsets.UTF_8);
            return send(
                    "POST",
                    "/applications/token",
                    Map.of(),
                    "application/x-www-form-urlencoded",
                    body,
                    true);
        }
        String body =
                JSON.createObjectNode()
                        .put("client_id", clientId)
                        .put("client_secret", secret)
                        .put("grant_type", "client_credentials")
                        .toString();
        return send("POST", "/applications/token", Map.of(), "application/json", body, true);
    }

    Reply get(String path) {
        return get(path, Map.of());
    }

    Reply get(String path, Map<String, String> query) {
        return send("GET", path, query, null, null, true);
    }

    /** A GET whose parameters break the spec on purpose: only the response is checked. */
    Reply getInvalid(String path, Map<String, String> query) {
        return send("GET", path, query, null, null, false);
    }

    Reply post(String path, String jsonBody) {
        return send("POST", path, Map.of(), "application/json", jsonBody, true);
    }

    Reply postInvalid(String path, String jsonBody) {
        return send("POST", path, Map.of(), "application/json", jsonBody, false);
    }

    Reply delete(String path) {
        return send("DELETE", path, Map.of(), null, null, true);
    }

    Reply createJob(Object connectionId, String jobType) {
        return post(
                "/jobs",
                JSON.createObjectNode()
                        .put("connectionId", String.valueOf(connectionId))
                        .put("jobType", jobType)
                        .toString());
    }

    Reply send(
            String method,
            String path,
            Map<String, String> query,
            String contentType,
            String body,
            boolean checkRequest) {
        String qs =
                query.isEmpty()
                        ? ""
                        : "?"
                                + new LinkedHashMap<>(query)
                                        .entrySet().stream()
                                                .map(
                                                        e ->
                                                                e.getKey()
                                                                        + "="
                                                                        + URLEncoder.encode(
                                                                                e.getValue(),
                                                                                StandardCharsets
                                                                                        .UTF_8))
                                                .collect(Collectors.joining("&"));
        HttpRequest.Builder rb =
                HttpRequest.newBuilder(URI.create(base + path + qs))
                        .timeout(Duration.ofSeconds(20))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            rb.header("Content-Type", contentType);
        }
        if (authorization != null) {
            rb.header("Authorization", authorization);
        }
        HttpResponse<String> resp;
        try {
            resp = HTTP.send(rb.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String responseType = resp.headers().firstValue("Content-Type").orElse(null);
        if (spec == Spec.CONFIG_API) {
            SpecValidator.checkConfigApi(
                    "/v1" + path, body, resp.statusCode(), responseType, resp.body(), checkRequest);
        } else if (spec == Spec.PUBLIC_API) {
            SpecValidator.check(
                    method,
                    path,
                    query,
                    contentType,
                    body,
                    resp.statusCode(),
                    responseType,
                    resp.body(),
                    checkRequest);
        }
        return new Reply(resp.statusCode(), responseType, resp.body(), resp.headers());
    }
}
