package io.tributary.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Starts Kafka and PostgreSQL for a local run and keeps them up until the process is stopped.
 *
 * <p>Usage: {@code LocalStack [--data-dir DIR] [--kafka-port N] [--postgres-port N] [--pg-binaries
 * DIR] [--pipeline-log FILE [--receiver-port N --receiver-secret-file FILE]]}. Data is kept in the
 * data directory across runs; PostgreSQL's binaries are unpacked once in {@code --pg-binaries}
 * (default: in the data directory). The addresses and each service's database credentials are
 * written to {@code DIR/infra.properties} (readable by the owner only) for the run command.
 */
public final class LocalStack {
    /** Reads the topics and calls the four services' APIs; produces nothing, so has no DLQ. */
    public static final String CONSOLE = "console-service";

    /**
     * Every service a local run starts, each with its own database and login: the four of the
     * contract (which also have a dead-letter topic, {@link KafkaTopics#SERVICES}) and the console.
     */
    public static final List<String> SERVICES = withConsole();

    /**
     * A long-running stack on a laptop: memory before throughput (figures in
     * bench/stack/README.md). PostgreSQL: small shared buffers, no logical replication launcher, no
     * parallel query workers. Kafka: a 4 MB log-cleaner dedupe buffer instead of 128 MB of heap,
     * fewer background threads, 1 MB index files.
     */
    static final Infrastructure.Settings SETTINGS =
            new Infrastructure.Settings(
                    Map.of(
                            "shared_buffers", "8MB",
                            "max_connections", "100",
                            "max_logical_replication_workers", "0",
                            "max_parallel_workers_per_gather", "0",
                            "jit", "off"),
                    Map.of(
                            "log.cleaner.dedupe.buffer.size",
                            String.valueOf(4 << 20),
                            "background.threads",
                            "2",
                            "num.recovery.threads.per.data.dir",
                            "1",
                            "log.index.size.max.bytes",
                            String.valueOf(1 << 20)),
                    null);

    private LocalStack() {}

    private static List<String> withConsole() {
        List<String> all = new ArrayList<>(KafkaTopics.SERVICES);
        all.add(CONSOLE);
        return List.copyOf(all);
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of("data");
        // Not the usual 9092/5432: a developer's own Kafka or PostgreSQL may already use those.
        int kafkaPort = 19092;
        int postgresPort = 15432;
        Infrastructure.Settings settings = SETTINGS;
        Path pipelineLog = null;
        int receiverPort = 0;
        Path receiverSecret = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--kafka-port" -> kafkaPort = Integer.parseInt(args[++i]);
                case "--postgres-port" -> postgresPort = Integer.parseInt(args[++i]);
                case "--pg-binaries" ->
                        settings =
                                settings.withPostgresBinaries(Path.of(args[++i]).toAbsolutePath());
                case "--pipeline-log" -> pipelineLog = Path.of(args[++i]);
                case "--receiver-port" -> receiverPort = Integer.parseInt(args[++i]);
                case "--receiver-secret-file" -> receiverSecret = Path.of(args[++i]);
                default -> {
                    System.err.println(USAGE);
                    System.exit(2);
                }
            }
        }
        Files.createDirectories(dataDir);
        long begin = System.nanoTime();
        Infrastructure infra =
                Infrastructure.start(dataDir.toAbsolutePath(), kafkaPort, postgresPort, settings);
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
        Properties out = properties(infra);
        writePrivately(dataDir.resolve("infra.properties"), out);
        System.out.println("Kafka:      " + infra.kafkaBootstrapServers());
        System.out.println("PostgreSQL: " + infra.adminJdbcUrl("postgres").replaceAll("\\?.*", ""));
        System.out.println("Credentials: " + dataDir.resolve("infra.properties"));
        System.out.println("Started in " + (System.nanoTime() - begin) / 1_000_000 + " ms");
        // Starting the broker leaves ~100 MB of garbage behind: a full collection now gives that
        // heap back to the system (./tributary runs this JVM with -XX:MaxHeapFreeRatio=20).
        System.gc();
        if (pipelineLog != null) {
            followPipeline(
                    infra.kafkaBootstrapServers(), pipelineLog, receiverPort, receiverSecret);
        }
        System.out.println("READY");
        stopped.await();
    }

    private static final String USAGE =
            "usage: LocalStack [--data-dir DIR] [--kafka-port N] [--postgres-port N]"
                    + " [--pg-binaries DIR] [--pipeline-log FILE [--receiver-port N"
                    + " --receiver-secret-file FILE]]";

    /**
     * The pipeline log (and the demo's subscriber endpoint) in this JVM rather than a JVM of its
     * own: its lines go to {@code file}, which ./tributary shows on the terminal.
     */
    private static void followPipeline(
            String kafka, Path file, int receiverPort, Path receiverSecret) throws IOException {
        String secret =
                receiverSecret == null
                        ? null
                        : Files.readString(receiverSecret, StandardCharsets.UTF_8).trim();
        PrintStream lines =
                new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8.name());
        Thread follower =
                new Thread(
                        () -> {
                            try {
                                PipelineLog.follow(kafka, receiverPort, secret, lines);
                            } catch (IOException | RuntimeException e) {
                                e.printStackTrace(lines);
                            }
                        },
                        "pipeline-log");
        follower.setDaemon(true);
        follower.start();
    }

    /**
     * What {@code infra.properties} holds: the Kafka address, then {@code <service>.jdbc.url},
     * {@code .username} and {@code .password} for every service of {@link #SERVICES} and the
     * warehouse. Creates the databases and logins that are missing.
     */
    static Properties properties(Infrastructure infra) {
        Properties out = new Properties();
        out.setProperty("kafka.bootstrap.servers", infra.kafkaBootstrapServers());
        for (String service : SERVICES) {
            credentials(out, service, infra.database(service));
        }
        // The warehouse: where Airbyte (the sandbox) loads raw data and dbt builds the marts.
        credentials(out, "warehouse", infra.database("warehouse"));
        return out;
    }

    private static void credentials(Properties out, String name, ServiceDatabase db) {
        out.setProperty(name + ".jdbc.url", db.jdbcUrl());
        out.setProperty(name + ".jdbc.username", db.username());
        out.setProperty(name + ".jdbc.password", db.password());
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
