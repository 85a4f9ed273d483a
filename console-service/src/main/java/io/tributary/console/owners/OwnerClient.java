package io.tributary.console.owners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.console.config.ConsoleConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one way to the four services that own what the console shows and changes: their readiness and
 * their APIs (with the console's service token), each call answered within the owner timeout (a
 * hung owner is "unreachable", never a hung page); reads are reused briefly.
 */
@ApplicationScoped
public class OwnerClient {

    /** One owner's readiness as the overview shows it. */
    public record Health(String service, String url, String status, String detail) {
        public boolean isUp() {
            return status.equals("UP");
        }

        public String cssClass() {
            return status.toLowerCase(java.util.Locale.ROOT);
        }
    }

    private record Cached(List<Health> health, Instant at) {}

    private record CachedAnswer(OwnerAnswer answer, Instant at) {}

    private final Map<String, CachedAnswer> answers = new ConcurrentHashMap<>();

    @Inject ConsoleConfig config;
    @Inject ObjectMapper json;

    private HttpClient http;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        http = HttpClient.newBuilder().connectTimeout(config.ownerTimeout()).build();
    }

    /** {@code GET path} of an owner's API, reused for the cache TTL when it succeeded. */
    public OwnerAnswer get(Owner owner, String path) {
        String key = owner + " " + path;
        CachedAnswer cached = answers.get(key);
        if (cached != null && cached.at().plus(config.ownerCacheTtl()).isAfter(Instant.now())) {
            return cached.answer();
        }
        OwnerAnswer answer = call(owner, "GET", path, null, null);
        // A failure is kept as briefly as an answer: a down owner costs one wait per TTL, not
        // one per page.
        answers.put(key, new CachedAnswer(answer, Instant.now()));
        return answer;
    }

    /** Airbyte connection names by id, as the sync-monitor knows them (empty when it is down). */
    public Map<String, String> connectionNames() {
        Map<String, String> names = new java.util.HashMap<>();
        OwnerAnswer known = get(Owner.MONITOR, "/api/connections");
        if (known.ok() && known.body() != null) {
            known.body()
                    .forEach(
                            c -> {
                                if (c.hasNonNull("name")) {
                                    names.put(
                                            c.path("connectionId").asText(),
                                            c.get("name").asText());
                                }
                            });
        }
        return names;
    }

    /** Several reads at once, each within the owner timeout. */
    public Map<String, OwnerAnswer> getAll(Owner owner, List<String> paths) {
        Map<String, CompletableFuture<OwnerAnswer>> asks = new java.util.LinkedHashMap<>();
        for (String path : paths) {
            asks.put(path, CompletableFuture.supplyAsync(() -> get(owner, path)));
        }
        Map<String, OwnerAnswer> out = new java.util.LinkedHashMap<>();
        asks.forEach((path, f) -> out.put(path, f.join()));
        return out;
    }

    /** An action: {@code method path} with a JSON body (or none); forgets cached reads. */
    public OwnerAnswer send(
            Owner owner, String method, String path, JsonNode body, String idempotencyKey) {
        answers.keySet().removeIf(k -> k.startsWith(owner + " "));
        return call(owner, method, path, body, idempotencyKey);
    }

    private OwnerAnswer call(
            Owner owner, String method, String path, JsonNode body, String idempotencyKey) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base(owner) + path))
                        .timeout(config.ownerTimeout())
                        .header("Accept", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        config.serviceToken().ifPresent(t -> request.header("Authorization", "Bearer " + t));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        try {
            HttpResponse<String> r =
                    http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                            .get(
                                    config.ownerTimeout().toMillis(),
                                    java.util.concurrent.TimeUnit.MILLISECONDS);
            JsonNode parsed = null;
            try {
                parsed = r.body() == null || r.body().isBlank() ? null : json.readTree(r.body());
            } catch (Exception e) {
                // not JSON: the status speaks
            }
            return new OwnerAnswer(owner, r.statusCode(), parsed, null);
        } catch (java.util.concurrent.TimeoutException e) {
            return noAnswer(owner);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new OwnerAnswer(owner, 0, null, "interrupted");
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof java.net.http.HttpTimeoutException) {
                return noAnswer(owner); // the request's own timeout came first
            }
            return new OwnerAnswer(owner, 0, null, root.getClass().getSimpleName());
        }
    }

    private OwnerAnswer noAnswer(Owner owner) {
        return new OwnerAnswer(
                owner,
                0,
                null,
                OwnerAnswer.NO_ANSWER + " within " + config.ownerTimeout().toMillis() + " ms");
    }

    private String base(Owner owner) {
        String url =
                switch (owner) {
                    case TRIGGER -> config.triggerUrl();
                    case MONITOR -> config.monitorUrl();
                    case TRANSFORM -> config.transformUrl();
                    case NOTIFIER -> config.notifierUrl();
                };
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The owners by name, in pipeline order. */
    public Map<String, String> owners() {
        Map<String, String> owners = new java.util.LinkedHashMap<>();
        owners.put("trigger-service", config.triggerUrl());
        owners.put("sync-monitor-service", config.monitorUrl());
        owners.put("transform-service", config.transformUrl());
        owners.put("notifier-service", config.notifierUrl());
        return owners;
    }

    /** Every owner's readiness, asked in parallel; never longer than the owner timeout. */
    public List<Health> health() {
        Cached cached = cache.get("health");
        if (cached != null && cached.at().plus(config.ownerCacheTtl()).isAfter(Instant.now())) {
            return cached.health();
        }
        List<CompletableFuture<Health>> asks = new ArrayList<>();
        owners().forEach((name, url) -> asks.add(ask(name, url)));
        List<Health> health = asks.stream().map(CompletableFuture::join).toList();
        cache.put("health", new Cached(health, Instant.now()));
        return health;
    }

    private CompletableFuture<Health> ask(String name, String url) {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                        .timeout(config.ownerTimeout())
                        .GET()
                        .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .orTimeout(
                        config.ownerTimeout().toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS)
                .thenApply(r -> health(name, url, r))
                .exceptionally(
                        e ->
                                new Health(
                                        name,
                                        url,
                                        "UNREACHABLE",
                                        "no answer within "
                                                + config.ownerTimeout().toMillis()
                                                + " ms"));
    }

    private Health health(String name, String url, HttpResponse<String> r) {
        try {
            JsonNode body = json.readTree(r.body());
            List<String> down = new ArrayList<>();
            body.path("checks")
                    .forEach(
                            c -> {
                                if (!"UP".equals(c.path("status").asText())) {
                                    down.add(c.path("name").asText());
                                }
                            });
            String status = body.path("status").asText(r.statusCode() == 200 ? "UP" : "DOWN");
            return new Health(
                    name, url, status, down.isEmpty() ? null : "down: " + String.join(", ", down));
        } catch (Exception e) {
            return new Health(
                    name, url, r.statusCode() == 200 ? "UP" : "DOWN", "HTTP " + r.statusCode());
        }
    }
}
