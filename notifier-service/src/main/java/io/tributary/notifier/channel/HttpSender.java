package io.tributary.notifier.channel;

import io.tributary.notifier.config.NotifierConfig;
import io.tributary.notifier.security.Destination;
import io.tributary.notifier.security.UnsafeDestinationException;
import io.tributary.notifier.security.UrlGuard;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs to a receiver safely: the URL is checked by {@link UrlGuard} right before the attempt and
 * the connection goes to the checked address (pinned: the name is not resolved again, so a DNS
 * answer that changes between check and connect cannot redirect it), TLS still verifies the host
 * name, redirects are never followed, connect and request time out. Statuses become {@link
 * AttemptResult}s: 2xx delivered; 3xx final; 408, 429 and 5xx retried (Retry-After kept); 410 gone;
 * other 4xx final. Error details never contain the URL's path or query (they may be the secret).
 */
@ApplicationScoped
public class HttpSender {
    static final String USER_AGENT = "Tributary-Notifier/1";
    private static final int MAX_BODY_IN_DETAIL = 200;

    private final UrlGuard guard;
    private final NotifierConfig.Delivery config;
    private final HttpClient client;

    @Inject
    public HttpSender(UrlGuard guard, NotifierConfig config, Vertx vertx) {
        this.guard = guard;
        this.config = config.delivery();
        this.client =
                vertx.createHttpClient(
                        new HttpClientOptions()
                                .setVerifyHost(true)
                                .setForceSni(true)
                                .setConnectTimeout((int) this.config.connectTimeout().toMillis())
                                .setMaxPoolSize(20)
                                .setKeepAlive(true));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    public AttemptResult post(
            String url, String contentType, byte[] body, Map<String, String> headers) {
        Destination destination;
        try {
            destination = guard.check(url);
        } catch (UnsafeDestinationException e) {
            return AttemptResult.refused("refused: " + e.getMessage());
        }
        String path = destination.uri().getRawPath();
        String requestUri =
                (path == null || path.isEmpty() ? "/" : path)
                        + (destination.uri().getRawQuery() == null
                                ? ""
                                : "?" + destination.uri().getRawQuery());
        RequestOptions options =
                new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost(destination.host())
                        .setPort(destination.port())
                        .setSsl(destination.tls())
                        .setURI(requestUri)
                        .setServer(
                                SocketAddress.inetSocketAddress(
                                        destination.port(), destination.pinned().getHostAddress()))
                        .setFollowRedirects(false)
                        .setConnectTimeout(config.connectTimeout().toMillis())
                        .setIdleTimeout(config.requestTimeout().toMillis())
                        .putHeader("Content-Type", contentType)
                        .putHeader("User-Agent", USER_AGENT);
        headers.forEach(options::putHeader);
        long timeout = config.requestTimeout().toMillis();
        try {
            Response response =
                    client.request(options)
                            .compose(
                                    request -> {
                                        request.idleTimeout(timeout);
                                        return request.send(Buffer.buffer(body));
                                    })
                            .compose(
                                    (HttpClientResponse r) ->
                                            r.body()
                                                    .map(
                                                            b ->
                                                                    new Response(
                                                                            r.statusCode(),
                                                                            r.getHeader(
                                                                                    "Retry-After"),
                                                                            r.getHeader("Location"),
                                                                            b)))
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get(timeout + 1000, TimeUnit.MILLISECONDS);
            return classify(response);
        } catch (TimeoutException e) {
            return AttemptResult.retry(null, "timed out after " + timeout + " ms", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AttemptResult.retry(null, "interrupted", null);
        } catch (ExecutionException e) {
            return AttemptResult.retry(null, describe(e.getCause(), destination), null);
        }
    }

    private record Response(int status, String retryAfter, String location, Buffer body) {}

    static AttemptResult classify(
            int status, String retryAfterHeader, String location, String body) {
        String detail = status + (body.isBlank() ? "" : " " + snippet(body));
        if (status >= 200 && status < 300) {
            return AttemptResult.delivered(status, detail);
        }
        if (status >= 300 && status < 400) {
            return AttemptResult.failed(
                    status, status + " redirect" + redirectHost(location) + " not followed");
        }
        if (status == 410) {
            return new AttemptResult(AttemptResult.Kind.GONE, status, detail, null);
        }
        if (status == 408 || status == 429 || status >= 500) {
            return AttemptResult.retry(status, detail, retryAfter(retryAfterHeader));
        }
        return AttemptResult.failed(status, detail);
    }

    private static AttemptResult classify(Response r) {
        return classify(
                r.status(),
                r.retryAfter(),
                r.location(),
                r.body() == null ? "" : r.body().toString(StandardCharsets.UTF_8));
    }

    /** Seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(java.time.Instant.now(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    private static String redirectHost(String location) {
        if (location == null) {
            return "";
        }
        try {
            String host = java.net.URI.create(location).getHost();
            return host == null ? "" : " to " + host;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String snippet(String body) {
        String oneLine = body.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_BODY_IN_DETAIL
                ? oneLine
                : oneLine.substring(0, MAX_BODY_IN_DETAIL) + "…";
    }

    /** An error message without the URL's path and query. */
    static String describe(Throwable error, Destination destination) {
        if (error instanceof ConnectException) {
            return "cannot connect to " + destination.host() + ":" + destination.port();
        }
        String message = error == null ? "unknown error" : String.valueOf(error.getMessage());
        String path = destination.uri().getRawPath();
        if (path != null && path.length() > 1) {
            message = message.replace(path, "/…");
        }
        String query = destination.uri().getRawQuery();
        if (query != null && !query.isEmpty()) {
            message = message.replace(query, "…");
        }
        String type = error == null ? "" : error.getClass().getSimpleName() + ": ";
        return type + snippet(message);
    }
}
