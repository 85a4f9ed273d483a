package io.tributary.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import jakarta.enterprise.inject.spi.CDI;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
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
                                "Database connections health check",
                                "SmallRye Reactive Messaging - readiness check"));
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
