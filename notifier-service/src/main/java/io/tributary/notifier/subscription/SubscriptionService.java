package io.tributary.notifier.subscription;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.events.EventIds;
import io.tributary.events.EventType;
import io.tributary.events.FailureReason;
import io.tributary.events.Topics;
import io.tributary.notifier.channel.Channel;
import io.tributary.notifier.channel.Channels;
import io.tributary.notifier.channel.InvalidSettingsException;
import io.tributary.notifier.security.SecretSettings;
import io.tributary.support.ApiException;
import io.tributary.support.SqlStates;
import io.tributary.support.cel.Conditions;
import io.tributary.support.cel.InvalidConditionException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/** Validates, stores and shows subscriptions (API and YAML file alike). */
@ApplicationScoped
public class SubscriptionService {
    private static final Logger LOG = Logger.getLogger(SubscriptionService.class);
    private static final Pattern TYPE_PATTERN = Pattern.compile("[a-z0-9_.-]+(\\.\\*)?|\\*");

    /** The types the notifier hears (sync, transform and expectation events). */
    public static final List<String> KNOWN_TYPES =
            Stream.of(Topics.SYNC_EVENTS, Topics.TRANSFORM_EVENTS, Topics.EXPECTATION_EVENTS)
                    .flatMap(topic -> EventType.onTopic(topic).stream())
                    .map(EventType::type)
                    .toList();

    /** Failure reasons a filter may name. */
    public static final Set<String> KNOWN_REASONS =
            Stream.concat(
                            Arrays.stream(FailureReason.values()).map(FailureReason::wire),
                            Stream.of("node_failed", "dbt_failed"))
                    .collect(Collectors.toUnmodifiableSet());

    @Inject SubscriptionRepository repository;
    @Inject Channels channels;

    /** (name, CEL) pairs already warned about: one deprecation warning per definition. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** The result of a create: the view, plus a generated webhook secret shown this once. */
    public record Created(Subscription subscription, SubscriptionView view) {}

    public List<SubscriptionView> list() {
        return repository.all().stream().map(this::view).toList();
    }

    public SubscriptionView get(String id) {
        return view(find(id));
    }

    public Subscription find(String id) {
        return repository
                .findSubscription(id)
                .orElseThrow(() -> ApiException.notFound("no subscription " + id));
    }

    public Created create(SubscriptionRequest request) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Subscription subscription = build(EventIds.random(), request, null, "api", now, now);
        try {
            QuarkusTransaction.requiringNew()
                    .run(
                            () -> {
                                if (repository.findByName(subscription.name()).isPresent()) {
                                    throw nameTaken(subscription);
                                }
                                repository.insert(subscription);
                            });
        } catch (RuntimeException e) {
            // A create of the same name that committed between our check and our insert.
            throw SqlStates.isUniqueViolation(e) ? nameTaken(subscription) : e;
        }
        LOG.infof("created %s", subscription);
        boolean generatedSecret =
                subscription.channel() == ChannelType.WEBHOOK
                        && (request.settings() == null || !request.settings().hasNonNull("secret"));
        SubscriptionView view = view(subscription);
        if (generatedSecret) {
            // The receiver needs the secret to verify signatures: shown once, masked from then on.
            Map<String, Object> settings = new LinkedHashMap<>(view.settings());
            settings.put("secret", subscription.settings().path("secret").asText());
            view =
                    new SubscriptionView(
                            view.id(),
                            view.name(),
                            view.eventTypes(),
                            view.filter(),
                            view.channel(),
                            settings,
                            view.enabled(),
                            view.notifyOnRecovery(),
                            view.disabledReason(),
                            view.origin(),
                            view.createdAt(),
                            view.updatedAt());
        }
        return new Created(subscription, view);
    }

    public SubscriptionView replace(String id, SubscriptionRequest request) {
        Subscription existing = find(id);
        Subscription updated =
                build(
                        id,
                        request,
                        existing,
                        existing.origin(),
                        existing.createdAt(),
                        Instant.now().truncatedTo(ChronoUnit.MICROS));
        QuarkusTransaction.requiringNew()
                .run(
                        () -> {
                            Optional<Subscription> sameName = repository.findByName(updated.name());
                            if (sameName.isPresent() && !sameName.get().id().equals(id)) {
                                throw ApiException.conflict(
                                        "a subscription named '" + updated.name() + "' exists");
                            }
                            if (!repository.replace(updated)) {
                                throw ApiException.notFound("no subscription " + id);
                            }
                        });
        LOG.infof("updated %s", updated);
        return view(updated);
    }

    public void delete(String id) {
        if (!QuarkusTransaction.requiringNew().call(() -> repository.deleteById(id))) {
            throw ApiException.notFound("no subscription " + id);
        }
        LOG.infof("deleted subscription %s", id);
    }

    private static ApiException nameTaken(Subscription subscription) {
        return ApiException.conflict("a subscription named '" + subscription.name() + "' exists");
    }

    /**
     * Inserts or replaces a subscription declared in the YAML file, by name; another replica
     * loading the same file first makes it an update.
     */
    public Subscription upsertFromFile(SubscriptionRequest request) {
        return SqlStates.upsertRacing(() -> upsert(request));
    }

    private Subscription upsert(SubscriptionRequest request) {
        String name = request.name() == null ? null : request.name().trim();
        Optional<Subscription> existing =
                name == null ? Optional.empty() : repository.findByName(name);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (existing.isPresent()) {
            Subscription s = existing.get();
            Subscription updated = build(s.id(), request, s, "file", s.createdAt(), now);
            if (!same(s, updated)) {
                QuarkusTransaction.requiringNew().run(() -> repository.replace(updated));
                LOG.infof("updated %s from the subscriptions file", updated);
            }
            return updated;
        }
        String id = EventIds.derive("subscription", String.valueOf(name));
        Subscription created = build(id, request, null, "file", now, now);
        QuarkusTransaction.requiringNew().run(() -> repository.insert(created));
        LOG.infof("created %s from the subscriptions file", created);
        return created;
    }

    private static boolean same(Subscription a, Subscription b) {
        return a.name().equals(b.name())
                && a.eventTypes().equals(b.eventTypes())
                && Objects.equals(a.filter(), b.filter())
                && a.channel() == b.channel()
                && a.settings().equals(b.settings())
                && a.enabled() == b.enabled()
                && a.notifyOnRecovery() == b.notifyOnRecovery()
                && Objects.equals(a.disabledReason(), b.disabledReason());
    }

    public SubscriptionView view(Subscription subscription) {
        return SubscriptionView.of(subscription, channels.get(subscription.channel()).secrets());
    }

    private Subscription build(
            String id,
            SubscriptionRequest request,
            Subscription existing,
            String origin,
            Instant createdAt,
            Instant updatedAt) {
        if (request == null) {
            throw ApiException.badRequest("a subscription body is required");
        }
        String name = request.name() == null ? "" : request.name().trim();
        if (name.isEmpty() || name.length() > 200) {
            throw ApiException.badRequest("name is required (at most 200 characters)");
        }
        if (request.channel() == null) {
            throw ApiException.badRequest(
                    "channel is required: slack, teams, email, pagerduty or webhook");
        }
        List<String> types = eventTypes(request.eventTypes());
        String filter = filter(name, request);
        if (request.settings() == null) {
            throw ApiException.badRequest("settings is required");
        }
        Channel channel = channels.get(request.channel());
        ObjectNode settings = request.settings().deepCopy();
        if (existing != null && existing.channel() == request.channel()) {
            settings = SecretSettings.keepSecrets(settings, existing.settings(), channel.secrets());
        }
        try {
            settings = channel.validate(settings);
        } catch (InvalidSettingsException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        boolean enabled = request.enabled() == null || request.enabled();
        String disabledReason =
                existing != null && !enabled && !existing.enabled()
                        ? existing.disabledReason()
                        : null;
        return new Subscription(
                id,
                name,
                types,
                filter,
                request.channel(),
                settings,
                enabled,
                request.notifyOnRecovery() == null || request.notifyOnRecovery(),
                enabled ? null : disabledReason,
                origin,
                createdAt,
                updatedAt);
    }

    /**
     * The subscription's CEL filter, checked (a 400 names line and column); the deprecated {@code
     * filters} become the equivalent CEL, with a warning naming the subscription and that CEL.
     */
    private String filter(String name, SubscriptionRequest request) {
        String filter =
                request.filter() == null || request.filter().isBlank()
                        ? null
                        : request.filter().strip();
        LegacyFilters legacy = request.filters();
        if (legacy != null && !legacy.isEmpty()) {
            if (filter != null) {
                throw ApiException.badRequest(
                        "give either filter (CEL) or the deprecated filters, not both");
            }
            for (String reason : legacy.reasons()) {
                if (!KNOWN_REASONS.contains(reason)) {
                    throw ApiException.badRequest(
                            "filters.reasons: unknown reason '"
                                    + reason
                                    + "' ("
                                    + String.join(", ", KNOWN_REASONS.stream().sorted().toList())
                                    + ")");
                }
            }
            filter = legacy.toCel();
            if (warned.add(name + '\u0000' + filter)) {
                LOG.warnf(
                        "subscription '%s': 'filters' is deprecated and will be removed; stored as"
                                + " the CEL filter: %s",
                        name, filter);
            }
        }
        if (filter != null) {
            try {
                Conditions.EVENTS.compile(filter);
            } catch (InvalidConditionException e) {
                throw ApiException.badRequest("filter: " + e.getMessage());
            }
        }
        return filter;
    }

    private static List<String> eventTypes(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            throw ApiException.badRequest(
                    "eventTypes is required: exact types or prefixes such as io.tributary.sync.*");
        }
        Set<String> types = new LinkedHashSet<>();
        for (String raw : requested) {
            String type = raw == null ? "" : raw.trim();
            if (!TYPE_PATTERN.matcher(type).matches()) {
                throw ApiException.badRequest(
                        "eventTypes: '" + type + "' is not a type or a prefix");
            }
            Subscription probe =
                    new Subscription(
                            null,
                            null,
                            List.of(type),
                            null,
                            null,
                            null,
                            true,
                            true,
                            null,
                            null,
                            null,
                            null);
            if (KNOWN_TYPES.stream().noneMatch(probe::matchesType)) {
                throw ApiException.badRequest(
                        "eventTypes: '"
                                + type
                                + "' matches none of "
                                + String.join(", ", KNOWN_TYPES));
            }
            types.add(type);
        }
        return new ArrayList<>(types);
    }
}
