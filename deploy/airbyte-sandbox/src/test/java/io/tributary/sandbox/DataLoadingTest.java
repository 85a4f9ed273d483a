package io.tributary.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Succeeded syncs write the shop's raw tables into a real PostgreSQL. */
class DataLoadingTest extends SandboxTestBase {

    private static EmbeddedPostgres postgres;
    private static String jdbcUrl;

    @BeforeAll
    static void startPostgres() throws Exception {
        Path target = Path.of("target");
        postgres =
                EmbeddedPostgres.builder()
                        .setOverrideWorkingDirectory(target.resolve("embedded-pg").toFile())
                        .setDataDirectory(
                                new File(target.toFile(), "embedded-pg/data-" + UUID.randomUUID()))
                        .setCleanDataDirectory(true)
                        .start();
        jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @Override
    AirbyteSandbox.Builder configure(AirbyteSandbox.Builder builder) {
        return builder.jdbcUrl(jdbcUrl, "postgres", null);
    }

    @BeforeEach
    void emptyDatabase() throws Exception {
        try (Connection db = postgres.getPostgresDatabase().getConnection();
                Statement st = db.createStatement()) {
            st.execute("drop schema if exists raw_shop cascade");
        }
    }

    private long count(String sql) throws Exception {
        try (Connection db = postgres.getPostgresDatabase().getConnection();
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private UUID shop(ConnectionScript script) {
        return sandbox.connection("shop → postgres").loadsShopData().script(script).add();
    }

    @Test
    void succeededSyncHasLoadedTheRowsItReports() throws Exception {
        UUID conn = shop(ConnectionScript.succeedAfter(Duration.ofMillis(100), 0));
        long job = api.createJob(conn, "sync").json().get("jobId").asLong();
        long rows = awaitStatus(job, "succeeded").get("rowsSynced").asLong();

        assertThat(count("select count(*) from raw_shop.customers")).isEqualTo(20);
        assertThat(count("select count(*) from raw_shop.orders")).isEqualTo(50);
        assertThat(count("select count(*) from raw_shop.payments")).isEqualTo(50);
        assertThat(rows).isEqualTo(120);
        assertThat(
                        count(
                                "select count(*) from raw_shop.orders o left join raw_shop.customers c"
                                        + " on c.id = o.customer_id where c.id is null"))
                .as("every order has its customer")
                .isZero();
        assertThat(count("select count(*) from raw_shop.payments where amount < 0")).isZero();
        assertThat(
                        count(
                                "select count(*) from raw_shop.orders where _airbyte_meta->>'sync_id' = '"
                                        + job
                                        + "'"))
                .isEqualTo(50);
    }

    @Test
    void theStreamStatsAreTheRowsWrittenPerTable() throws Exception {
        UUID conn = shop(ConnectionScript.succeedAfter(Duration.ofMillis(50), 0));
        long first = api.createJob(conn, "sync").json().get("jobId").asLong();
        awaitStatus(first, "succeeded");
        assertThat(sandbox.job(first).streamStats())
                .extracting(StreamStats::name, StreamStats::records, StreamStats::bytes)
                .containsExactly(
                        tuple("customers", count("select count(*) from raw_shop.customers"), 2000L),
                        tuple("orders", count("select count(*) from raw_shop.orders"), 5000L),
                        tuple("payments", count("select count(*) from raw_shop.payments"), 5000L));

        // Only orders changed: only that table is written, and only it reports rows.
        sandbox.script(
                conn,
                ConnectionScript.succeedAfter(Duration.ofMillis(50), 0)
                        .withStreamRecords(Map.of("orders", 1L)));
        long second = api.createJob(conn, "sync").json().get("jobId").asLong();
        JsonNode job = awaitStatus(second, "succeeded");
        assertThat(sandbox.job(second).streamStats())
                .extracting(StreamStats::name, StreamStats::records)
                .containsExactly(
                        tuple("customers", 0L), tuple("orders", 55L), tuple("payments", 0L));
        assertThat(job.get("rowsSynced").asLong()).isEqualTo(55);
        assertThat(
                        count(
                                "select count(*) from raw_shop.orders where _airbyte_meta->>'sync_id' = '"
                                        + second
                                        + "'"))
                .isEqualTo(55);
        assertThat(
                        count(
                                "select count(*) from raw_shop.customers where _airbyte_meta->>'sync_id' = '"
                                        + second
                                        + "'"))
                .isZero();
        assertThat(
                        count(
                                "select count(*) from raw_shop.payments where _airbyte_meta->>'sync_id' = '"
                                        + second
                                        + "'"))
                .isZero();
    }

    @Test
    void repeatedSyncsUpsertDeterministicRows() throws Exception {
        UUID conn = shop(ConnectionScript.succeedAfter(Duration.ofMillis(50), 0));
        awaitStatus(api.createJob(conn, "sync").json().get("jobId").asLong(), "succeeded");
        long firstSum =
                count("select sum(amount * 100)::bigint from raw_shop.orders where id <= 50");
        awaitStatus(api.createJob(conn, "sync").json().get("jobId").asLong(), "succeeded");

        assertThat(count("select count(*) from raw_shop.customers")).isEqualTo(22);
        assertThat(count("select count(*) from raw_shop.orders")).isEqualTo(55);
        assertThat(count("select count(distinct id) from raw_shop.payments")).isEqualTo(55);
        assertThat(count("select sum(amount * 100)::bigint from raw_shop.orders where id <= 50"))
                .as("same keys, same amounts")
                .isEqualTo(firstSum);
    }

    @Test
    void badDataBreaksDbtTestsUntilTheNextGoodSync() throws Exception {
        UUID conn = shop(ConnectionScript.badData(Duration.ofMillis(50), 0));
        awaitStatus(api.createJob(conn, "sync").json().get("jobId").asLong(), "succeeded");
        assertThat(count("select count(*) from raw_shop.orders where customer_id is null"))
                .isEqualTo(1);
        assertThat(
                        count(
                                "select count(*) from raw_shop.orders o left join raw_shop.customers c"
                                        + " on c.id = o.customer_id where o.customer_id is not null"
                                        + " and c.id is null"))
                .isEqualTo(1);
        assertThat(count("select count(*) from raw_shop.payments where amount < 0")).isEqualTo(1);

        sandbox.script(conn, ConnectionScript.succeedAfter(Duration.ofMillis(50), 0));
        awaitStatus(api.createJob(conn, "sync").json().get("jobId").asLong(), "succeeded");
        assertThat(count("select count(*) from raw_shop.orders where customer_id is null"))
                .isZero();
        assertThat(count("select count(*) from raw_shop.payments where amount < 0")).isZero();
    }

    @Test
    void clearEmptiesTheTablesAndFailedOrOtherConnectionsLoadNothing() throws Exception {
        UUID conn =
                shop(
                        ConnectionScript.succeedAfter(Duration.ofMillis(50), 0)
                                .withResetDuration(Duration.ofMillis(50)));
        awaitStatus(api.createJob(conn, "sync").json().get("jobId").asLong(), "succeeded");
        awaitStatus(api.createJob(conn, "clear").json().get("jobId").asLong(), "succeeded");
        assertThat(count("select count(*) from raw_shop.orders")).isZero();

        sandbox.script(conn, ConnectionScript.failAfter(Duration.ofMillis(50), "nope"));
        awaitStatus(api.createJob(conn, "sync").json().get("jobId").asLong(), "failed");
        UUID plain =
                sandbox.addConnection(
                        "other", ConnectionScript.succeedAfter(Duration.ofMillis(50), 7));
        assertThat(
                        awaitStatus(
                                        api.createJob(plain, "sync").json().get("jobId").asLong(),
                                        "succeeded")
                                .get("rowsSynced")
                                .asLong())
                .isEqualTo(7);
        assertThat(count("select count(*) from raw_shop.orders")).isZero();
    }

    @Test
    void unreachableDatabaseFailsTheSync() {
        sandbox.close();
        sandbox =
                AirbyteSandbox.builder()
                        .auth(SandboxAuth.none())
                        .jdbcUrl("jdbc:postgresql://127.0.0.1:1/none", "x", "y")
                        .build()
                        .start();
        api = new ApiClient(sandbox.baseUrl());
        UUID conn = shop(ConnectionScript.succeedAfter(Duration.ofMillis(50), 0));
        long job = api.createJob(conn, "sync").json().get("jobId").asLong();
        awaitStatus(job, "failed");
        assertThat(sandbox.job(job).errorMessage())
                .startsWith("Failed to load data into the destination");
    }
}
