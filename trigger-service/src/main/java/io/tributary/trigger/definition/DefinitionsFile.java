package io.tributary.trigger.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.runtime.StartupEvent;
import io.tributary.support.ApiException;
import io.tributary.trigger.config.TriggerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Loads {@code tributary.trigger.definitions-file} at start: lists {@code hooks}, {@code
 * schedules}, {@code rules} and {@code kafkaTriggers}, each item in the API's shape. Upserts are
 * idempotent (an unchanged item is left alone, a schedule keeps its next fire time); items not in
 * the file are not deleted. A hook or schedule enabled or disabled through the API stays so until
 * the file's own {@code enabled} for it changes (see {@link Definitions#saveHookFromFile}). A
 * secret written as {@code ${NAME}} is read from the configuration (env var, system property), so
 * the file can live in git without secrets. An invalid file stops the start.
 */
@ApplicationScoped
public class DefinitionsFile {
    private static final Logger LOG = Logger.getLogger(DefinitionsFile.class);
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)}");
    private static final Set<String> SECTIONS =
            Set.of("hooks", "schedules", "rules", "kafkaTriggers");

    @Inject Definitions definitions;
    @Inject TriggerConfig config;
    @Inject Config mpConfig;

    void onStart(@Observes StartupEvent event) {
        config.definitionsFile().ifPresent(this::load);
    }

    /** Loads the file; the counts of created, updated and unchanged items. */
    public Map<Saved, Integer> load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read definitions file " + file + ": " + e.getMessage(), e);
        }
        Map<Saved, Integer> counts = new EnumMap<>(Saved.class);
        if (root == null || root.isMissingNode() || root.isNull()) {
            return counts;
        }
        if (!root.isObject()) {
            throw new IllegalStateException(
                    file + ": expected a mapping with hooks, schedules, rules, kafkaTriggers");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SECTIONS.contains(name)) {
                throw new IllegalStateException(file + ": unknown section '" + name + "'");
            }
        }
        Instant now = Instant.now();
        for (String section : new String[] {"hooks", "schedules", "rules", "kafkaTriggers"}) {
            JsonNode items = root.path(section);
            if (items.isMissingNode() || items.isNull()) {
                continue;
            }
            if (!items.isArray()) {
                throw new IllegalStateException(file + ": " + section + " must be a list");
            }
            for (int i = 0; i < items.size(); i++) {
                String where = file + ": " + section + "[" + i + "]";
                try {
                    Saved saved = save(section, items.get(i), now);
                    counts.merge(saved, 1, Integer::sum);
                } catch (ApiException e) {
                    throw new IllegalStateException(where + ": " + e.detail(), e);
                }
            }
        }
        LOG.infof("definitions file %s loaded: %s", file, counts);
        return counts;
    }

    private Saved save(String section, JsonNode item, Instant now) {
        switch (section) {
            case "hooks":
                return definitions.saveHookFromFile(
                        DefinitionJson.read(resolveSecrets(item), HookDefinition.class));
            case "schedules":
                return definitions.saveScheduleFromFile(
                        DefinitionJson.read(item, ScheduleDefinition.class), now);
            case "kafkaTriggers":
                return definitions.saveKafkaTrigger(
                        DefinitionJson.read(item, KafkaTriggerDefinition.class), false);
            default:
                return definitions.saveRule(DefinitionJson.read(item, RuleDefinition.class), false);
        }
    }

    private JsonNode resolveSecrets(JsonNode item) {
        if (!item.isObject() || !item.path("secrets").isArray()) {
            return item;
        }
        ObjectNode copy = item.deepCopy();
        ArrayNode secrets = (ArrayNode) copy.get("secrets");
        for (int i = 0; i < secrets.size(); i++) {
            Matcher m = REFERENCE.matcher(secrets.get(i).asText());
            if (m.matches()) {
                Optional<String> value = mpConfig.getOptionalValue(m.group(1), String.class);
                if (value.isEmpty()) {
                    throw ApiException.badRequest(
                            "secret reference ${" + m.group(1) + "} is not set");
                }
                secrets.set(i, TextNode.valueOf(value.get()));
            }
        }
        return copy;
    }
}
