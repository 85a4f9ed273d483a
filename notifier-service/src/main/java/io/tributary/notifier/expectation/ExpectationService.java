package io.tributary.notifier.expectation;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.events.EventIds;
import io.tributary.notifier.config.NotifierConfig;
import io.tributary.notifier.delivery.NotifierMetrics;
import io.tributary.support.ApiException;
import io.tributary.support.SqlStates;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Validates, stores and shows expectations (API and YAML file alike); the {@link ExpectationJudge}
 * evaluates them.
 */
@ApplicationScoped
public class ExpectationService {
    private static final Logger LOG = Logger.getLogger(ExpectationService.class);

    @Inject ExpectationRepository repository;
    @Inject ExpectationHistoryRepository historyRepository;
    @Inject NotifierConfig config;
    @Inject NotifierMetrics metrics;

    private ExpectationValidator validator;

    @PostConstruct
    void init() {
        validator = new ExpectationValidator(config.expectations().minDuration());
    }

    public List<Expectation> list() {
        return repository.all();
    }

    public List<ExpectationView> statuses() {
        return repository.statuses();
    }

    public ExpectationView status(String id) {
        return repository
                .findStatus(id)
                .orElseThrow(() -> ApiException.notFound("no expectation " + safe(id)));
    }

    /** Its newest events, newest first; {@code limit} between 1 and 500. */
    public List<ExpectationHistory> history(String id, String limitParam) {
        int limit;
        try {
            limit = Integer.parseInt(limitParam.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 500) {
            throw ApiException.badRequest("limit must be between 1 and 500");
        }
        get(id);
        return historyRepository.recent(id, limit);
    }

    public Expectation get(String id) {
        return repository
                .findExpectation(id)
                .orElseThrow(() -> ApiException.notFound("no expectation " + safe(id)));
    }

    /** A new expectation; its id is the body's or made here. 409 when the id or name is taken. */
    public Expectation create(JsonNode body) {
        ExpectationRequest request = ExpectationJson.read(body);
        if (request.id() == null) {
            request = request.withId(EventIds.random());
        }
        Instant now = now();
        Expectation created = validator.build(request, "api", now, now);
        try {
            QuarkusTransaction.requiringNew()
                    .run(
                            () -> {
                                if (repository.findByIdOptional(created.id()).isPresent()) {
                                    throw taken(created);
                                }
                                requireFreeName(created);
                                repository.insert(created);
                            });
        } catch (RuntimeException e) {
            // A create of the same id or name that committed between our check and our insert.
            throw SqlStates.isUniqueViolation(e) ? taken(created) : e;
        }
        changed(created, "created");
        return created;
    }

    /** Replaces the expectation at {@code id}; an id in the body must be the same. */
    public Expectation replace(String id, JsonNode body) {
        ExpectationRequest request = ExpectationJson.read(body);
        if (request.id() != null && !request.id().equals(id)) {
            throw ApiException.badRequest("id: the id in the body differs from the path's");
        }
        Expectation existing = get(id);
        Expectation updated =
                validator.build(request.withId(id), existing.origin(), existing.createdAt(), now());
        QuarkusTransaction.requiringNew()
                .run(
                        () -> {
                            requireFreeName(updated);
                            if (!repository.replace(updated)) {
                                throw ApiException.notFound("no expectation " + safe(id));
                            }
                        });
        changed(updated, "updated");
        return updated;
    }

    public void delete(String id) {
        Expectation existing = get(id);
        if (!QuarkusTransaction.requiringNew().call(() -> repository.deleteById(id))) {
            throw ApiException.notFound("no expectation " + safe(id));
        }
        changed(existing, "deleted");
    }

    /**
     * Inserts or replaces an expectation declared in the YAML file: by its id when it gives one,
     * else by name (created with an id derived from the name, the same on every replica).
     */
    public Expectation upsertFromFile(ExpectationRequest request) {
        return SqlStates.upsertRacing(() -> upsert(request));
    }

    private Expectation upsert(ExpectationRequest request) {
        String name = request.name() == null ? null : request.name().trim();
        Optional<Expectation> existing =
                request.id() != null
                        ? repository.findExpectation(request.id())
                        : name == null ? Optional.empty() : repository.findByName(name);
        String id =
                request.id() != null
                        ? request.id()
                        : existing.map(Expectation::id)
                                .orElseGet(() -> EventIds.derive("expectation", name));
        Instant now = now();
        Instant createdAt = existing.map(Expectation::createdAt).orElse(now);
        Expectation built = validator.build(request.withId(id), "file", createdAt, now);
        if (existing.isPresent() && existing.get().sameDefinition(built)) {
            return existing.get();
        }
        QuarkusTransaction.requiringNew()
                .run(
                        () -> {
                            requireFreeName(built);
                            if (!repository.replace(built)) {
                                repository.insert(built);
                            }
                        });
        changed(built, existing.isPresent() ? "updated" : "created");
        return built;
    }

    private void requireFreeName(Expectation x) {
        Optional<Expectation> sameName = repository.findByName(x.name());
        if (sameName.isPresent() && !sameName.get().id().equals(x.id())) {
            throw ApiException.conflict("an expectation named '" + x.name() + "' exists");
        }
    }

    private static ApiException taken(Expectation x) {
        return ApiException.conflict(
                "an expectation with id '" + x.id() + "' or named '" + x.name() + "' exists");
    }

    private void changed(Expectation x, String change) {
        metrics.expectationChanged(x.promise(), change);
        LOG.infof(
                "%s expectation %s '%s' (%s of %s:%s)",
                change, x.id(), x.name(), x.promise(), x.subject().kind().wire(), x.subject().id());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** An id from a path, fit to be shown back (it has not been validated). */
    private static String safe(String id) {
        String s = id == null ? "" : id.replaceAll("[^A-Za-z0-9._-]", "?");
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
