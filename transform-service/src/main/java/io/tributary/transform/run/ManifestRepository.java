package io.tributary.transform.run;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/**
 * dbt manifests ({@code transform_manifest}): the newest {@code manifests-kept} per transform are
 * kept. Call in a transaction.
 */
@ApplicationScoped
public class ManifestRepository implements PanacheRepositoryBase<ManifestEntity, UUID> {

    /**
     * Stores a run's manifest (once) and deletes the transform's older ones beyond {@code kept}.
     */
    public void add(UUID runId, String transformName, long sizeBytes, byte[] gzip, int kept) {
        getSession()
                .createNativeQuery(
                        "insert into transform_manifest (run_id, transform_name, size_bytes,"
                                + " manifest_gzip) values (?1, ?2, ?3, ?4)"
                                + " on conflict (run_id) do nothing",
                        Object.class)
                .setParameter(1, runId, UUID.class)
                .setParameter(2, transformName, String.class)
                .setParameter(3, sizeBytes, Long.class)
                .setParameter(4, gzip, byte[].class)
                .executeUpdate();
        getSession()
                .createNativeQuery(
                        "delete from transform_manifest where transform_name = ?1"
                                + " and run_id not in (select run_id from transform_manifest"
                                + " where transform_name = ?1 order by created_at desc limit ?2)",
                        Object.class)
                .setParameter(1, transformName, String.class)
                .setParameter(2, Math.max(1, kept), Integer.class)
                .executeUpdate();
    }

    /**
     * The freshest manifest of a dbt project (the newest kept by any run of any transform of it).
     */
    public Optional<ManifestEntity> newestOfProject(String projectKey) {
        return getEntityManager()
                .createQuery(
                        "select m from ManifestEntity m where m.runId in (select r.runId from"
                                + " RunEntity r where r.projectKey = ?1) order by m.createdAt desc",
                        ManifestEntity.class)
                .setParameter(1, projectKey)
                .setMaxResults(1)
                .getResultStream()
                .findFirst();
    }

    /** The manifest of the transform's newest run that wrote one. */
    public Optional<ManifestEntity> newest(String transformName) {
        return find("transformName", Sort.descending("createdAt"), transformName)
                .firstResultOptional();
    }
}
