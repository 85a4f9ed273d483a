package io.tributary.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One packaged service ({@code target/quarkus-app/quarkus-run.jar}) running as its own process, as
 * it would in production: its own JVM, its own database credentials, talking to the others only
 * through Kafka.
 */
final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int port;
    private final Path jar;
    private final Map<String, String> env;
    private final Path log;
    private Process process;

    ServiceProcess(String name, Path jar, int port, Map<String, String> env, Path logDir) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.env = env;
        this.log = logDir.resolve(name + ".log");
    }

    ServiceProcess start() {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: package the services first (./mvnw package)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        pb.environment().put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    boolean isReady() {
        if (process == null || !process.isAlive()) {
            return false;
        }
        try {
            HttpResponse<Void> r =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(url("/q/health/ready")))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The readiness answer's status, or -1 when none came within {@code timeout}. */
    int readinessStatus(Duration timeout) {
        return status("/q/health/ready", timeout);
    }

    /** The HTTP status of a GET of {@code path}, or -1 without an answer within the timeout. */
    int status(String path, Duration timeout) {
        try {
            return HttpClient.newBuilder()
                    .connectTimeout(timeout)
                    .build()
                    .send(
                            HttpRequest.newBuilder(URI.create(url(path))).timeout(timeout).build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, as a crash or an OOM kill would: no shutdown hook, no graceful stop. */
    void kill() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            waitFor();
        }
    }

    /**
     * SIGTERM and how long the process took to exit (at most {@code limit}; then it is killed and
     * the limit returned plus one second, so the caller sees it was exceeded).
     */
    Duration terminate(Duration limit) {
        long start = System.nanoTime();
        process.destroy();
        try {
            if (process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
        return limit.plusSeconds(1);
    }

    /** SIGTERM, as a redeploy would. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitFor();
            if (process.isAlive()) {
                kill();
            }
        }
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void waitFor() {
        try {
            process.waitFor(
                    java.util.concurrent.TimeUnit.SECONDS.toMillis(30),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
