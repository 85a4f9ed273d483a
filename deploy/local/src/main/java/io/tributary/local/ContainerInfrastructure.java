package io.tributary.local;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** Kafka and PostgreSQL as containers, used instead of the embedded servers when Docker runs. */
final class ContainerInfrastructure implements Infrastructure {
    static final String KAFKA_IMAGE = "apache/kafka:4.1.1";
    static final String POSTGRES_IMAGE = "postgres:16-alpine";

    private final KafkaContainer kafka;
    private final PostgreSQLContainer postgres;
    private final Map<String, ServiceDatabase> databases = new ConcurrentHashMap<>();

    private ContainerInfrastructure(KafkaContainer kafka, PostgreSQLContainer postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
    }

    static boolean dockerAvailable() {
        // Ask Testcontainers only when a Docker endpoint could exist: its probe logs errors
        // otherwise.
        if (System.getenv("DOCKER_HOST") == null
                && !java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                && !java.nio.file.Files.exists(
                        java.nio.file.Path.of(
                                System.getProperty("user.home"),
                                ".docker",
                                "run",
                                "docker.sock"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static ContainerInfrastructure start() {
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
        PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE);
        kafka.start();
        postgres.start();
        return new ContainerInfrastructure(kafka, postgres);
    }

    @Override
    public String kind() {
        return "testcontainers";
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public ServiceDatabase database(String service) {
        return databases.computeIfAbsent(
                service,
                s ->
                        ServiceDatabases.create(
                                postgres.getJdbcUrl(),
                                postgres.getUsername(),
                                postgres.getPassword(),
                                urlPrefix(),
                                s));
    }

    @Override
    public String adminJdbcUrl(String database) {
        return urlPrefix()
                + database
                + "?user="
                + postgres.getUsername()
                + "&password="
                + postgres.getPassword();
    }

    private String urlPrefix() {
        return "jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(5432) + "/";
    }

    @Override
    public void stopKafka() {
        // A paused container keeps its port mapping, so clients see the same address come back.
        DockerClientFactory.instance().client().pauseContainerCmd(kafka.getContainerId()).exec();
    }

    @Override
    public void startKafka() {
        DockerClientFactory.instance().client().unpauseContainerCmd(kafka.getContainerId()).exec();
    }

    @Override
    public void close() {
        try {
            kafka.stop();
        } finally {
            postgres.stop();
        }
    }
}
