package io.tributary.trigger.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One measured server: a packaged Quarkus app started as a child process ({@code java <jvm options>
 * -jar <jar>}), the URL its deliveries go to, the topic its 202s must reach and how to read a
 * record's delivery id there.
 */
final class Target {
    final String name;
    final String what;
    final String topic;
    final Function<ConsumerRecord<String, byte[]>, String> deliveryId;
    private final Process process;
    private final String base;
    private final String path;
    private final Path log;

    private Target(
            String name,
            String what,
            String topic,
            Function<ConsumerRecord<String, byte[]>, String> deliveryId,
            Process process,
            String base,
            String path,
            Path log) {
        this.name = name;
        this.what = what;
        this.topic = topic;
        this.deliveryId = deliveryId;
        this.process = process;
        this.base = base;
        this.path = path;
        this.log = log;
    }

    record Spec(
            String name,
            String what,
            Path jar,
            Map<String, String> env,
            String path,
            String topic,
            Function<ConsumerRecord<String, byte[]>, String> deliveryId) {}

    static Target start(Spec spec, List<String> jvmOptions, int port) throws IOException {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", spec.jar().toString()));
        Path log = Path.of("target/bench-" + spec.name() + ".log");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(spec.env());
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        return new Target(
                spec.name(),
                spec.what(),
                spec.topic(),
                spec.deliveryId(),
                pb.start(),
                "http://127.0.0.1:" + port,
                spec.path(),
                log);
    }

    String base() {
        return base;
    }

    String url() {
        return base + path;
    }

    double cpuSeconds() {
        return ProcCpu.of(process.pid());
    }

    void awaitReady(HttpClient http, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " did not become ready; see " + log);
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
