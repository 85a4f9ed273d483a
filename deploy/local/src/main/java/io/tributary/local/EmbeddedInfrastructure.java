package io.tributary.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * A real Kafka broker and a real PostgreSQL server started by this JVM, data under one directory.
 */
final class EmbeddedInfrastructure implements Infrastructure {
    private static final Logger LOG = Logger.getLogger(EmbeddedInfrastructure.class);

    private final EmbeddedKafka kafka;
    private final EmbeddedPostgres postgres;
    private final Map<String, ServiceDatabase> databases = new ConcurrentHashMap<>();

    private EmbeddedInfrastructure(EmbeddedKafka kafka, EmbeddedPostgres postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
    }

    static EmbeddedInfrastructure start(
            Path dataDir, int kafkaPort, int postgresPort, Infrastructure.Settings settings) {
        // The two servers do not need each other: Kafka starts on its own thread meanwhile.
        CompletableFuture<EmbeddedKafka> kafka =
                CompletableFuture.supplyAsync(
                        () ->
                                new EmbeddedKafka(
                                                dataDir.resolve("kafka"),
                                                kafkaPort,
                                                settings.kafka())
                                        .start(),
                        task -> new Thread(task, "embedded-kafka-start").start());
        EmbeddedPostgres pg;
        try {
            Path binaries =
                    settings.postgresBinaries() == null
                            ? dataDir.resolve("pg-binaries")
                            : settings.postgresBinaries();
            pg = startPostgres(dataDir, binaries, postgresPort, settings.postgres());
        } catch (RuntimeException e) {
            kafka.thenAccept(EmbeddedKafka::close).exceptionally(error -> null).join();
            throw e;
        }
        try {
            return new EmbeddedInfrastructure(kafka.join(), pg);
        } catch (CompletionException e) {
            closeQuietly(pg);
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static EmbeddedPostgres startPostgres(
            Path dataDir, Path binaries, int postgresPort, Map<String, String> settings) {
        long begin = System.nanoTime();
        // Otherwise the library leaves an empty /tmp/embedded-pg behind: binaries go where we
        // say (the library unpacks them once per directory and reuses them).
        System.setProperty("ot.epg.working-dir", binaries.toString());
        try {
            Path pgData = dataDir.resolve("postgres");
            boolean reuse = Files.exists(pgData.resolve("PG_VERSION"));
            Files.createDirectories(binaries);
            EmbeddedPostgres.Builder builder =
                    EmbeddedPostgres.builder()
                            .setDataDirectory(pgData)
                            .setCleanDataDirectory(false)
                            .setOverrideWorkingDirectory(binaries.toFile())
                            .setPort(postgresPort == 0 ? Ports.free() : postgresPort)
                            .setServerConfig("max_connections", "200");
            settings.forEach(builder::setServerConfig);
            EmbeddedPostgres pg = builder.start();
            LOG.infof(
                    "Embedded PostgreSQL started on 127.0.0.1:%d in %d ms (%s data in %s)",
                    pg.getPort(),
                    (System.nanoTime() - begin) / 1_000_000,
                    reuse ? "existing" : "new",
                    pgData);
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL failed to start", e);
        }
    }

    @Override
    public String kind() {
        return "embedded";
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public ServiceDatabase database(String service) {
        return databases.computeIfAbsent(
                service,
                s ->
                        ServiceDatabases.create(
                                adminJdbcUrl("postgres"), "postgres", "postgres", urlPrefix(), s));
    }

    @Override
    public String adminJdbcUrl(String database) {
        return urlPrefix() + database + "?user=postgres&password=postgres";
    }

    private String urlPrefix() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/";
    }

    @Override
    public void stopKafka() {
        kafka.stop();
    }

    @Override
    public void startKafka() {
        kafka.start();
    }

    @Override
    public void close() {
        try {
            kafka.close();
        } finally {
            closeQuietly(postgres);
        }
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
