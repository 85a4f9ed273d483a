package io.tributary.transform.definition;

import io.tributary.transform.config.TransformConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Resolves the directories a definition names, and only inside {@code
 * tributary.transform.projects-root}: no {@code ..} escape, no symbolic link out of it, nothing
 * that dbt could read as an option.
 */
@ApplicationScoped
public class ProjectPaths {
    @Inject TransformConfig config;

    /** The configured root, as a real path (it must exist). */
    public Path root() {
        try {
            return config.projectsRoot().toAbsolutePath().normalize().toRealPath();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "tributary.transform.projects-root does not exist: " + config.projectsRoot(),
                    e);
        }
    }

    /**
     * The real directory {@code dir} names, which must hold {@code requiredFile}; empty with the
     * reason in {@code problem} otherwise.
     */
    public Optional<Path> resolve(String dir, String requiredFile, StringBuilder problem) {
        if (dir == null || dir.isBlank()) {
            problem.append("is required");
            return Optional.empty();
        }
        if (dir.length() > 500 || dir.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            problem.append("must be a path of at most 500 printable characters");
            return Optional.empty();
        }
        if (dir.startsWith("-")) {
            problem.append("must not start with '-'");
            return Optional.empty();
        }
        Path root = root();
        Path candidate;
        try {
            candidate = root.resolve(dir).normalize();
        } catch (InvalidPathException e) {
            problem.append("is not a valid path");
            return Optional.empty();
        }
        if (!candidate.startsWith(root)) {
            problem.append("must stay inside the projects root");
            return Optional.empty();
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (IOException e) {
            problem.append("does not exist");
            return Optional.empty();
        }
        if (!real.startsWith(root)) {
            problem.append("must stay inside the projects root (it links outside)");
            return Optional.empty();
        }
        if (!Files.isDirectory(real) || !Files.isRegularFile(real.resolve(requiredFile))) {
            problem.append("has no ").append(requiredFile);
            return Optional.empty();
        }
        return Optional.of(real);
    }

    /** Like {@link #resolve} but throws: for run time, when the definition was valid once. */
    public Path require(String field, String dir, String requiredFile) {
        StringBuilder problem = new StringBuilder();
        return resolve(dir, requiredFile, problem)
                .orElseThrow(() -> new IllegalStateException(field + " '" + dir + "' " + problem));
    }
}
