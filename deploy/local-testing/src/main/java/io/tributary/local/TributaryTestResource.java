package io.tributary.local;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Starts the real Kafka broker and PostgreSQL server for a service's {@code @QuarkusTest}s and
 * hands the service only its own database credentials. Init arg {@code service} names the service.
 *
 * <p>Tests reach the running infrastructure (for example to stop the broker) through a field
 * annotated {@link InjectInfrastructure}.
 */
public class TributaryTestResource implements QuarkusTestResourceLifecycleManager {
    private static final Logger LOG = Logger.getLogger(TributaryTestResource.class);

    private String service;
    private Path dataDir;
    private Infrastructure infrastructure;

    @Override
    public void init(Map<String, String> initArgs) {
        service = initArgs.get("service");
        if (service == null) {
            throw new IllegalArgumentException(
                    "TributaryTestResource needs the init arg 'service'");
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            Files.createDirectories(Path.of("target"));
            dataDir = Files.createTempDirectory(Path.of("target"), "infra-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        infrastructure = Infrastructure.start(dataDir);
        KafkaTopics.ensure(infrastructure.kafkaBootstrapServers(), KafkaTopics.contractTopics(), 3);
        ServiceDatabase db = infrastructure.database(service);
        LOG.infof(
                "%s tests run against %s Kafka %s and %s",
                service, infrastructure.kind(), infrastructure.kafkaBootstrapServers(), db);
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", infrastructure.kafkaBootstrapServers());
        config.put("quarkus.datasource.jdbc.url", db.jdbcUrl());
        config.put("quarkus.datasource.username", db.username());
        config.put("quarkus.datasource.password", db.password());
        // As in local runs: each consumer a static group member named after the service.
        config.put("tributary.kafka.instance-id", service + "-test");
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                infrastructure,
                new TestInjector.AnnotatedAndMatchesType(
                        InjectInfrastructure.class, Infrastructure.class));
    }

    @Override
    public void stop() {
        if (infrastructure != null) {
            infrastructure.close();
            infrastructure = null;
        }
        deleteTree(dataDir);
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("could not delete %s: %s", dir, e.getMessage());
        }
    }
}
