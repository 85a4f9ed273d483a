package io.tributary.notifier.expectation;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.StartupEvent;
import io.tributary.notifier.config.NotifierConfig;
import io.tributary.notifier.subscription.SubscriptionFileLoader;
import io.tributary.support.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Loads the {@code expectations} list of {@code tributary.notifier.subscriptions-file} at start,
 * next to its subscriptions: each entry upserted by its id, or by name when it has none (running it
 * twice changes nothing). Entries are read as strictly as API bodies; a bad one stops the start
 * with a message naming it.
 */
@ApplicationScoped
public class ExpectationFileLoader {
    private static final Logger LOG = Logger.getLogger(ExpectationFileLoader.class);

    @Inject NotifierConfig config;
    @Inject ExpectationService service;

    void onStart(@Observes StartupEvent event) {
        config.subscriptionsFile().ifPresent(file -> load(Path.of(file)));
    }

    /** Upserts every expectation of the file; returns how many it declares. */
    public int load(Path file) {
        List<JsonNode> entries = SubscriptionFileLoader.entries(file, "expectations");
        for (JsonNode entry : entries) {
            try {
                service.upsertFromFile(ExpectationJson.read(entry));
            } catch (ApiException e) {
                throw new IllegalStateException(
                        file
                                + ": expectation '"
                                + entry.path("name").asText("?")
                                + "': "
                                + e.detail(),
                        e);
            }
        }
        LOG.infof("loaded %d expectations from %s", entries.size(), file);
        return entries.size();
    }
}
