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
 * The four services that own the state the console shows: their readiness, answered within the
 * owner timeout (a hung owner is "unreachable", never a hung page) and reused briefly.
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

    @Inject ConsoleConfig config;
    @Inject ObjectMapper json;

    private HttpClient http;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        http = HttpClient.newBuilder().connectTimeout(config.ownerTimeout()).build();
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
