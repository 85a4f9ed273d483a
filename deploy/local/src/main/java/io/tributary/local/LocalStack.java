package io.tributary.local;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Starts Kafka and PostgreSQL for a local run and keeps them up until the process is stopped.
 *
 * <p>Usage: {@code LocalStack [--data-dir DIR] [--kafka-port N] [--postgres-port N]}. Data is kept
 * in the data directory across runs. The addresses and each service's database credentials are
 * written to {@code DIR/infra.properties} (readable by the owner only) for the run command.
 */
public final class LocalStack {
    private LocalStack() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of("data");
        // Not the usual 9092/5432: a developer's own Kafka or PostgreSQL may already use those.
        int kafkaPort = 19092;
        int postgresPort = 15432;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--kafka-port" -> kafkaPort = Integer.parseInt(args[++i]);
                case "--postgres-port" -> postgresPort = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println(
                            "usage: LocalStack [--data-dir DIR] [--kafka-port N] [--postgres-port N]");
                    System.exit(2);
                }
            }
        }
        Files.createDirectories(dataDir);
        Infrastructure infra =
                Infrastructure.start(dataDir.toAbsolutePath(), kafkaPort, postgresPort);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    infra.close();
                                    stopped.countDown();
                                },
                                "local-stack-shutdown"));
        KafkaTopics.ensure(infra.kafkaBootstrapServers(), KafkaTopics.contractTopics(), 3);
        Properties out = new Properties();
        out.setProperty("kafka.bootstrap.servers", infra.kafkaBootstrapServers());
        for (String service : KafkaTopics.SERVICES) {
            ServiceDatabase db = infra.database(service);
            out.setProperty(service + ".jdbc.url", db.jdbcUrl());
            out.setProperty(service + ".jdbc.username", db.username());
            out.setProperty(service + ".jdbc.password", db.password());
        }
        // The warehouse: where Airbyte (the sandbox) loads raw data and dbt builds the marts.
        ServiceDatabase warehouse = infra.database("warehouse");
        out.setProperty("warehouse.jdbc.url", warehouse.jdbcUrl());
        out.setProperty("warehouse.jdbc.username", warehouse.username());
        out.setProperty("warehouse.jdbc.password", warehouse.password());
        writePrivately(dataDir.resolve("infra.properties"), out);
        System.out.println("Kafka:      " + infra.kafkaBootstrapServers());
        System.out.println("PostgreSQL: " + infra.adminJdbcUrl("postgres").replaceAll("\\?.*", ""));
        System.out.println("Credentials: " + dataDir.resolve("infra.properties"));
        System.out.println("READY");
        stopped.await();
    }

    private static void writePrivately(Path file, Properties props) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(
                file,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(w, "Tributary local infrastructure");
        }
    }
}
