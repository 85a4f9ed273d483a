package io.tributary.transform.run;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

/**
 * dbt's {@code manifest.json} of a run that wrote one, gzip-compressed: in the database so that
 * every instance can serve it, in a table of its own so that run rows stay small.
 */
@Entity
@Table(name = "transform_manifest")
public class ManifestEntity {
    @Id
    @Column(name = "run_id")
    public UUID runId;

    @Column(name = "transform_name", nullable = false)
    public String transformName;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The size of the JSON, uncompressed. */
    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    @Column(name = "manifest_gzip", nullable = false)
    public byte[] manifestGzip;

    /** Writes the manifest's JSON, as dbt wrote it. */
    public void writeTo(OutputStream out) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(manifestGzip))) {
            in.transferTo(out);
        }
    }
}
