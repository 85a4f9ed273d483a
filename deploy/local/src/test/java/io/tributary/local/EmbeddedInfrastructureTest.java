package io.tributary.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.events.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedInfrastructureTest {
    static Path dir;
    static Infrastructure infra;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(Path.of("target"));
        dir = Files.createTempDirectory(Path.of("target"), "infra-test-");
        infra = Infrastructure.start(dir);
        KafkaTopics.ensure(infra.kafkaBootstrapServers(), KafkaTopics.contractTopics(), 3);
    }

    @AfterAll
    static void stop() throws IOException {
        infra.close();
        deleteTree(dir);
        assertThat(dir).doesNotExist();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void eachServiceGetsItsOwnDatabaseAndCannotOpenAnother() throws SQLException {
        ServiceDatabase trigger = infra.database("trigger-service");
        ServiceDatabase monitor = infra.database("sync-monitor-service");
        assertThat(trigger.database()).isEqualTo("trigger_service");
        assertThat(trigger.toString()).doesNotContain(trigger.password());

        try (Connection c =
                        DriverManager.getConnection(
                                trigger.jdbcUrl(), trigger.username(), trigger.password());
                Statement st = c.createStatement()) {
            st.execute("create table t (id int primary key)");
            st.execute("insert into t values (1)");
        }
        String foreignUrl = monitor.jdbcUrl();
        assertThatThrownBy(
                        () ->
                                DriverManager.getConnection(
                                        foreignUrl, trigger.username(), trigger.password()))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied");
    }

    @Test
    void aLocalRunGetsADatabaseForEveryServiceAndTheConsoleNoDeadLetterTopic() throws SQLException {
        assertThat(LocalStack.SERVICES)
                .containsAll(KafkaTopics.SERVICES)
                .contains("console-service")
                .doesNotHaveDuplicates();
        assertThat(KafkaTopics.SERVICES).doesNotContain("console-service");
        // The five event topics and one dead-letter topic per consuming service.
        assertThat(KafkaTopics.contractTopics())
                .containsAll(Topics.ALL)
                .hasSize(Topics.ALL.size() + KafkaTopics.SERVICES.size())
                .noneMatch(t -> t.contains("console-service"));

        java.util.Properties props = LocalStack.properties(infra);
        assertThat(props.getProperty("kafka.bootstrap.servers"))
                .isEqualTo(infra.kafkaBootstrapServers());
        for (String service : LocalStack.SERVICES) {
            assertThat(props.getProperty(service + ".jdbc.url"))
                    .as(service)
                    .endsWith("/" + ServiceDatabase.identifier(service));
            assertThat(props.getProperty(service + ".jdbc.username"))
                    .isEqualTo(ServiceDatabase.identifier(service));
            assertThat(props.getProperty(service + ".jdbc.password")).hasSizeGreaterThan(16);
        }
        assertThat(props.getProperty("warehouse.jdbc.url")).endsWith("/warehouse");

        String consoleUrl = props.getProperty("console-service.jdbc.url");
        String consoleUser = props.getProperty("console-service.jdbc.username");
        String consolePassword = props.getProperty("console-service.jdbc.password");
        try (Connection c = DriverManager.getConnection(consoleUrl, consoleUser, consolePassword);
                Statement st = c.createStatement()) {
            st.execute("create table seen (id text primary key)");
        }
        String triggerUrl = props.getProperty("trigger-service.jdbc.url");
        assertThatThrownBy(
                        () -> DriverManager.getConnection(triggerUrl, consoleUser, consolePassword))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied");
    }

    @Test
    void brokerCarriesRecordsAndKeepsThemAcrossARestart() {
        String topic = "tributary.sync.requests";
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "conn-1", "before"))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        infra.stopKafka();
        infra.startKafka();
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "conn-1", "after")).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(readAll(topic, 2)).containsExactly("before", "after");
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        infra.kafkaBootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true),
                new StringSerializer(),
                new StringSerializer());
    }

    private static List<String> readAll(String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                        infra.kafkaBootstrapServers(),
                                ConsumerConfig.GROUP_ID_CONFIG, "infra-test",
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
