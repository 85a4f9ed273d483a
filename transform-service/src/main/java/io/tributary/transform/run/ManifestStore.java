package io.tributary.transform.run;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tributary.events.EventJson;
import io.tributary.transform.config.TransformConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * dbt's {@code manifest.json} of each run that wrote one ({@code transform_manifest}): kept in the
 * database, gzip-compressed, so that any instance can serve a transform's newest one; the newest
 * {@code manifests-kept} per transform are kept.
 */
@ApplicationScoped
public class ManifestStore {
    private static final Logger LOG = Logger.getLogger(ManifestStore.class);

    @Inject DataSource dataSource;
    @Inject TransformConfig config;

    /** A stored manifest: the run that wrote it, when, and its JSON (compressed). */
    public record Manifest(UUID runId, Instant createdAt, long sizeBytes, byte[] gzip) {

        /** Writes the manifest's JSON, as dbt wrote it. */
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
                in.transferTo(out);
            }
        }
    }

    /**
     * Stores the run's {@code <target>/manifest.json} if dbt wrote a complete one; never fails the
     * run (a manifest that cannot be kept is logged and skipped). Returns whether it was stored.
     */
    public boolean keep(RunRecord run, Path targetDir) {
        Path file = targetDir.resolve("manifest.json");
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            requireJson(file);
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            try (InputStream in = Files.newInputStream(file);
                    OutputStream gzip = new GZIPOutputStream(compressed)) {
                in.transferTo(gzip);
            }
            store(run.runId(), run.transformName(), Files.size(file), compressed.toByteArray());
            return true;
        } catch (IOException | SQLException | RuntimeException e) {
            LOG.warnf(
                    "run %s of %s: manifest.json not kept: %s",
                    run.runId(), run.transformName(), e.toString());
            return false;
        }
    }

    /** The manifest of the transform's newest run that wrote one. */
    public Optional<Manifest> newest(String transformName) {
        String sql =
                "select run_id, created_at, size_bytes, manifest_gzip from transform_manifest"
                        + " where transform_name = ? order by created_at desc limit 1";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, transformName);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new Manifest(
                                rs.getObject(1, UUID.class),
                                rs.getTimestamp(2).toInstant(),
                                rs.getLong(3),
                                rs.getBytes(4)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the manifest of " + transformName, e);
        }
    }

    private void store(UUID runId, String transformName, long size, byte[] gzip)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "insert into transform_manifest (run_id, transform_name, size_bytes,"
                                    + " manifest_gzip) values (?, ?, ?, ?)"
                                    + " on conflict (run_id) do nothing")) {
                ps.setObject(1, runId);
                ps.setString(2, transformName);
                ps.setLong(3, size);
                ps.setBytes(4, gzip);
                ps.executeUpdate();
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "delete from transform_manifest where transform_name = ?"
                                    + " and run_id not in (select run_id from transform_manifest"
                                    + " where transform_name = ? order by created_at desc limit ?)")) {
                ps.setString(1, transformName);
                ps.setString(2, transformName);
                ps.setInt(3, Math.max(1, config.manifestsKept()));
                ps.executeUpdate();
            }
        }
    }

    /** A manifest cut short (dbt killed while writing it) is not kept: it must be whole JSON. */
    private static void requireJson(Path file) throws IOException {
        try (JsonParser parser = EventJson.mapper().getFactory().createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            parser.skipChildren();
        }
    }
}
