package io.tributary.notifier.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.runtime.StartupEvent;
import io.tributary.events.EventJson;
import io.tributary.notifier.config.NotifierConfig;
import io.tributary.support.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Loads {@code tributary.notifier.subscriptions-file} at start: every subscription is upserted by
 * name (running it twice changes nothing). {@code ${NAME}} in a string value is replaced by the
 * config value or environment variable of that name, so secrets stay out of git. A bad file stops
 * the start with a message naming the entry. The file's {@code expectations} list is loaded by
 * {@code ExpectationFileLoader}.
 */
@ApplicationScoped
public class SubscriptionFileLoader {
    private static final Logger LOG = Logger.getLogger(SubscriptionFileLoader.class);
    private static final List<String> LISTS = List.of("subscriptions", "expectations");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)}");

    @Inject NotifierConfig config;
    @Inject SubscriptionService service;

    void onStart(@Observes StartupEvent event) {
        config.subscriptionsFile().ifPresent(file -> load(Path.of(file)));
    }

    /** Upserts every subscription of the file; returns how many it declares. */
    public int load(Path file) {
        List<JsonNode> list = entries(file, "subscriptions");
        int count = 0;
        for (JsonNode entry : list) {
            try {
                service.upsertFromFile(EventJson.read(entry, SubscriptionRequest.class));
            } catch (ApiException e) {
                throw new IllegalStateException(
                        file
                                + ": subscription '"
                                + entry.path("name").asText("?")
                                + "': "
                                + e.detail(),
                        e);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        file
                                + ": subscription '"
                                + entry.path("name").asText("?")
                                + "' is malformed",
                        e);
            }
            count++;
        }
        LOG.infof("loaded %d subscriptions from %s", count, file);
        return count;
    }

    /**
     * The entries of one top-level list of the file ({@code subscriptions} or {@code expectations},
     * both optional, nothing else allowed), {@code ${NAME}} references replaced.
     */
    public static List<JsonNode> entries(Path file, String key) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read subscriptions file " + file + ": " + e.getMessage(), e);
        }
        if (root == null
                || !root.isObject()
                || root.isEmpty()
                || !LISTS.containsAll(iterable(root.fieldNames()))) {
            throw new IllegalStateException(
                    file + ": expected top-level 'subscriptions' and/or 'expectations' lists only");
        }
        JsonNode list = root.get(key);
        if (list == null) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new IllegalStateException(file + ": '" + key + "' must be a list");
        }
        List<JsonNode> expanded = new ArrayList<>();
        list.forEach(entry -> expanded.add(expand(entry, SubscriptionFileLoader::lookup)));
        return expanded;
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private static String lookup(String name) {
        return ConfigProvider.getConfig()
                .getOptionalValue(name, String.class)
                .or(() -> java.util.Optional.ofNullable(System.getenv(name)))
                .orElseThrow(() -> new IllegalStateException("${" + name + "} is not set"));
    }

    static JsonNode expand(JsonNode node, UnaryOperator<String> lookup) {
        if (node.isTextual()) {
            Matcher m = REFERENCE.matcher(node.asText());
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(lookup.apply(m.group(1))));
            }
            m.appendTail(out);
            return TextNode.valueOf(out.toString());
        }
        if (node.isObject()) {
            ObjectNode copy = EventJson.mapper().createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(field.getKey(), expand(field.getValue(), lookup));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = EventJson.mapper().createArrayNode();
            node.forEach(n -> copy.add(expand(n, lookup)));
            return copy;
        }
        return node;
    }
}
