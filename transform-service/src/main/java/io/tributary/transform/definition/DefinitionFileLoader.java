package io.tributary.transform.definition;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.tributary.events.EventJson;
import io.tributary.transform.config.TransformConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Loads {@code tributary.transform.definitions-file} at start: every transform in it is validated
 * and upserted (loading the same file again changes nothing). A file with an invalid transform
 * stops the service with the problems listed: a setup kept in git must not half-apply.
 */
@ApplicationScoped
public class DefinitionFileLoader {
    private static final Logger LOG = Logger.getLogger(DefinitionFileLoader.class);

    /** The file's shape: {@code transforms: [ {name: ..., projectDir: ...}, ... ]}. */
    public record DefinitionsFile(List<TransformDefinition> transforms) {}

    @Inject TransformConfig config;
    @Inject DefinitionValidator validator;
    @Inject DefinitionRepository definitions;

    void onStart(@Observes @Priority(10) StartupEvent event) {
        config.definitionsFile().ifPresent(this::load);
    }

    /** Validates every transform of the file, then upserts them all; returns how many. */
    public int load(Path file) {
        DefinitionsFile parsed = parse(file);
        List<String> problems = new ArrayList<>();
        List<TransformDefinition> transforms =
                parsed.transforms() == null ? List.of() : parsed.transforms();
        for (TransformDefinition d : transforms) {
            try {
                validator.validate(d);
            } catch (InvalidDefinitionException e) {
                problems.add((d == null ? "?" : d.name()) + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "invalid transform definitions in " + file + ": " + problems);
        }
        QuarkusTransaction.requiringNew()
                .run(
                        () ->
                                transforms.forEach(
                                        d ->
                                                definitions.upsert(
                                                        d, DefinitionRepository.Origin.FILE)));
        LOG.infof("loaded %d transform definitions from %s", transforms.size(), file);
        return transforms.size();
    }

    static DefinitionsFile parse(Path file) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        EventJson.configure(yaml);
        yaml.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try {
            return yaml.readValue(Files.readAllBytes(file), DefinitionsFile.class);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read transform definitions " + file + ": " + e.getMessage(), e);
        }
    }
}
