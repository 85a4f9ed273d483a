package io.tributary.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import jakarta.enterprise.inject.spi.CDI;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * What every service ships from its first commit, checked the same way in each: a service's
 * {@code @QuarkusTest} subclass names the service, and these tests run against its live instance.
 */
public abstract class ServiceBasicsTest {

    /** The service's name, e.g. {@code trigger-service}. */
    protected abstract String service();

    @Test
    void readinessReflectsKafkaAndTheDatabase() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body(
                        "checks.name",
                        hasItems(
                                "database",
                                "kafka",
                                "SmallRye Reactive Messaging - readiness check"));
    }

    /**
     * A frozen database (SIGSTOP: connections open, nothing answers) makes readiness DOWN within 3
     * s, also on the next probe while the first look still hangs; liveness stays UP; readiness is
     * UP again after the thaw. A probe that waited longer would give up and restart the pod.
     */
    @Test
    void readinessIsDownWithinThreeSecondsWhileTheDatabaseIsFrozen() {
        Config config = ConfigProvider.getConfig();
        RestAssuredConfig threeSeconds =
                RestAssuredConfig.config()
                        .httpClient(
                                HttpClientConfig.httpClientConfig()
                                        .setParam("http.connection.timeout", 3000)
                                        .setParam("http.socket.timeout", 3000));
        try (FrozenDatabase frozen =
                FrozenDatabase.freeze(
                        config.getValue("quarkus.datasource.jdbc.url", String.class),
                        config.getValue("quarkus.datasource.username", String.class),
                        config.getValue("quarkus.datasource.password", String.class))) {
            for (int probe = 0; probe < 2; probe++) {
                given().config(threeSeconds)
                        .get("/q/health/ready")
                        .then()
                        .statusCode(503)
                        .body("checks.find { it.name == 'database' }.status", equalTo("DOWN"));
                given().config(threeSeconds).get("/q/health/live").then().statusCode(200);
            }
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    /**
     * Each consumer is a static group member named after the instance (set by the test resource as
     * {@code ./tributary} and the Kubernetes manifests set it), so a restarted service gets its
     * partitions back at once; assignment is cooperative.
     */
    @Test
    void consumersAreStaticGroupMembersNamedAfterTheInstance() throws Exception {
        Config config = ConfigProvider.getConfig();
        String instance = config.getValue("tributary.kafka.instance-id", String.class);
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                config.getValue("kafka.bootstrap.servers", String.class)))) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () ->
                                    assertThat(assignorByStaticMember(admin))
                                            .isNotEmpty()
                                            .allSatisfy(
                                                    (member, assignor) -> {
                                                        assertThat(member)
                                                                .startsWith(instance + ".");
                                                        assertThat(assignor)
                                                                .isEqualTo("cooperative-sticky");
                                                    }));
        }
    }

    /** Every static member of every consumer group, with its group's assignor. */
    private static Map<String, String> assignorByStaticMember(Admin admin) throws Exception {
        List<String> groups =
                admin.listGroups().all().get().stream().map(g -> g.groupId()).toList();
        Map<String, String> byMember = new java.util.TreeMap<>();
        for (var group : admin.describeConsumerGroups(groups).all().get().values()) {
            for (var member : group.members()) {
                member.groupInstanceId()
                        .ifPresent(id -> byMember.put(id, group.partitionAssignor()));
            }
        }
        return byMember;
    }

    @Test
    void livenessMetricsAndOpenApiAreServed() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void everyFlywayMigrationRanOnTheServicesOwnDatabase() throws Exception {
        List<String> applied = new ArrayList<>();
        DataSource dataSource = CDI.current().select(DataSource.class).get();
        try (Connection c = dataSource.getConnection();
                ResultSet rs =
                        c.createStatement()
                                .executeQuery(
                                        "select version, success from flyway_schema_history"
                                                + " where version is not null order by installed_rank")) {
            while (rs.next()) {
                assertThat(rs.getBoolean(2)).as("migration %s succeeded", rs.getString(1)).isTrue();
                applied.add(rs.getString(1));
            }
            assertThat(c.getMetaData().getUserName())
                    .isEqualTo(ServiceDatabase.identifier(service()));
        }
        assertThat(applied).first().isEqualTo("1");
        assertThat(applied).hasSize(migrationFiles());
    }

    /** The module's own migration scripts (tests run in the module directory). */
    private static int migrationFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return (int)
                    files.filter(f -> f.getFileName().toString().matches("V\\d+__.+\\.sql"))
                            .count();
        }
    }
}
