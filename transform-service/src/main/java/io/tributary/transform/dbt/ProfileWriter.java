package io.tributary.transform.dbt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tributary.transform.definition.TransformDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a run's {@code profiles.yml} for a definition's {@code profile}: every connection setting
 * is an {@code env_var(...)} lookup, so the file holds no secret.
 */
public final class ProfileWriter {
    /** The output name when the definition names no target. */
    public static final String DEFAULT_TARGET = "tributary";

    private ProfileWriter() {}

    /** Writes {@code <runDir>/profiles/profiles.yml}; returns its directory. */
    public static Path write(Path runDir, TransformDefinition d, Path project) throws IOException {
        TransformDefinition.Profile p = d.profile();
        String name = p.name() != null ? p.name() : projectProfile(project);
        String target = d.target() != null ? d.target() : DEFAULT_TARGET;
        String e = p.envPrefix();
        // Names and prefix were validated ([A-Za-z0-9_-], [A-Z0-9_]): safe inside YAML and Jinja.
        String yaml =
                name
                        + ":\n"
                        + "  target: "
                        + target
                        + "\n"
                        + "  outputs:\n"
                        + "    "
                        + target
                        + ":\n"
                        + "      type: postgres\n"
                        + "      host: \"{{ env_var('"
                        + e
                        + "_HOST') }}\"\n"
                        + "      port: \"{{ env_var('"
                        + e
                        + "_PORT', '5432') | as_number }}\"\n"
                        + "      user: \"{{ env_var('"
                        + e
                        + "_USER') }}\"\n"
                        + "      password: \"{{ env_var('"
                        + e
                        + "_PASSWORD') }}\"\n"
                        + "      dbname: \"{{ env_var('"
                        + e
                        + "_DB') }}\"\n"
                        + "      schema: \"{{ env_var('"
                        + e
                        + "_SCHEMA', 'analytics') }}\"\n"
                        + "      threads: "
                        + (d.threads() == null ? 1 : d.threads())
                        + "\n";
        Path dir = Files.createDirectories(runDir.resolve("profiles"));
        Files.writeString(dir.resolve("profiles.yml"), yaml);
        return dir;
    }

    /** The {@code profile:} a project's dbt_project.yml asks for. */
    static String projectProfile(Path project) throws IOException {
        JsonNode root =
                new ObjectMapper(new YAMLFactory())
                        .readTree(project.resolve("dbt_project.yml").toFile());
        String profile = root.path("profile").asText("");
        if (!profile.matches("[A-Za-z0-9_][A-Za-z0-9_-]{0,63}")) {
            throw new IOException(
                    "dbt_project.yml names no usable profile: set profile.name in the transform");
        }
        return profile;
    }
}
