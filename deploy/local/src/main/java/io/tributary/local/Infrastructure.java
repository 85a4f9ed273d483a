package io.tributary.local;

import java.nio.file.Path;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The Kafka broker and PostgreSQL server that Tributary's tests and local runs use: Testcontainers
 * when a Docker engine is reachable, otherwise the same servers embedded in this JVM.
 */
public interface Infrastructure extends AutoCloseable {

    /** {@code embedded} or {@code testcontainers}. */
    String kind();

    String kafkaBootstrapServers();

    /** Creates (or reuses) the service's own database and user and returns its credentials. */
    ServiceDatabase database(String service);

    /** A superuser JDBC URL, for tests that inspect any database; never handed to a service. */
    String adminJdbcUrl(String database);

    /** Stops the broker, keeping its data, to simulate an outage. */
    void stopKafka();

    /** Starts the broker again on the same address after {@link #stopKafka()}. */
    void startKafka();

    @Override
    void close();

    static Infrastructure start(Path dataDir) {
        return start(dataDir, 0, 0);
    }

    static Infrastructure start(Path dataDir, int kafkaPort, int postgresPort) {
        return start(dataDir, kafkaPort, postgresPort, Settings.DEFAULTS);
    }

    /**
     * Starts the infrastructure. Ports of 0 pick free ones (embedded only); a data directory that
     * already holds data is reused, so local runs keep their state across restarts. The settings
     * apply to the embedded servers only.
     */
    static Infrastructure start(Path dataDir, int kafkaPort, int postgresPort, Settings settings) {
        Logger log = Logger.getLogger(Infrastructure.class);
        if (Boolean.parseBoolean(System.getProperty("tributary.infra.embedded", "false"))
                || !ContainerInfrastructure.dockerAvailable()) {
            log.info("No Docker engine reachable: using embedded Kafka (KRaft) and PostgreSQL");
            return EmbeddedInfrastructure.start(dataDir, kafkaPort, postgresPort, settings);
        }
        log.info("Docker engine reachable: using Testcontainers for Kafka and PostgreSQL");
        return ContainerInfrastructure.start();
    }

    /**
     * Server settings on top of the embedded servers' own: PostgreSQL configuration parameters and
     * Kafka broker properties, and where PostgreSQL's binaries are unpacked (null: in the data
     * directory). Tests and benchmarks use {@link #DEFAULTS}; {@link LocalStack}, a long-running
     * stack on a laptop, trades throughput for memory.
     */
    record Settings(
            Map<String, String> postgres, Map<String, String> kafka, Path postgresBinaries) {
        public static final Settings DEFAULTS = new Settings(Map.of(), Map.of(), null);

        /** The same settings with PostgreSQL's binaries unpacked once in {@code dir}. */
        public Settings withPostgresBinaries(Path dir) {
            return new Settings(postgres, kafka, dir);
        }
    }
}
