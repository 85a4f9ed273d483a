package io.tributary.support.health;

import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the Kafka cluster answers a metadata request within 2 s. The messaging connector's own
 * checks look at its clients' state, which stays "connected" while a stalled broker answers
 * nothing; a service that can neither publish nor consume is not ready.
 */
@Readiness
@ApplicationScoped
public class KafkaHealthCheck implements HealthCheck {
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    private final BoundedCheck check = new BoundedCheck("kafka", TIMEOUT);
    private Admin admin;

    @Override
    public HealthCheckResponse call() {
        return check.call(
                () -> {
                    admin().describeCluster(
                                    new DescribeClusterOptions()
                                            .timeoutMs((int) TIMEOUT.toMillis()))
                            .clusterId()
                            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    return true;
                });
    }

    /** Created at the first look (on the check's own thread) and kept. */
    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>();
            // The same connection settings (bootstrap servers, security) as the service's clients.
            kafkaConfig.forEach(
                    (key, value) -> {
                        if (AdminClientConfig.configNames().contains(key)) {
                            config.put(key, value);
                        }
                    });
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "health-check");
            admin = Admin.create(config);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        check.close();
        if (admin != null) {
            admin.close(Duration.ZERO);
        }
    }
}
