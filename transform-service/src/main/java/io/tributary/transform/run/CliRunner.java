package io.tributary.transform.run;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.events.EventJson;
import io.tributary.transform.config.TransformConfig;
import io.tributary.transform.dbt.DbtCommand;
import io.tributary.transform.dbt.NodeResult;
import io.tributary.transform.dbt.ProcessTree;
import io.tributary.transform.dbt.ProfileWriter;
import io.tributary.transform.dbt.RunResults;
import io.tributary.transform.definition.ProjectPaths;
import io.tributary.transform.definition.TransformDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.jboss.logging.Logger;

/**
 * Runs the dbt CLI as a child process: an argument list (no shell), its own target and log
 * directories, credentials only in the environment, {@code --log-format json} read as it streams,
 * {@code run_results.json} parsed at the end, dbt's exit codes honoured.
 */
@ApplicationScoped
public class CliRunner implements TransformRunner {
    private static final Logger LOG = Logger.getLogger(CliRunner.class);

    /** The only parts of the service's own environment that dbt sees (besides pass-env). */
    static final List<String> BASE_ENV = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR");

    /**
     * A process started by a JVM that itself ignores SIGINT (e.g. launched in the background by a
     * non-interactive shell) inherits "ignore", and dbt would then not stop its warehouse queries
     * on our interrupt. GNU env resets it before exec'ing dbt (same pid, still no shell); where it
     * is not available the command starts as is.
     */
    static final List<String> SIGINT_RESET = sigintReset();

    /** The command of a run that retries another's failed and skipped nodes. */
    public static final String RETRY = "retry";

    @Inject TransformConfig config;
    @Inject ProjectPaths paths;
    @Inject RunRepository runs;
    @Inject ManifestRepository manifests;

    /** A run's directories, ready for dbt. */
    record Prepared(Path runDir, Path project, Path profiles, String executable) {}

    /** The run's own directory: {@code <runs-directory>/<transform>/<runId>}. */
    public Path runDir(String transformName, UUID runId) {
        return config.runsDirectory()
                .toAbsolutePath()
                .normalize()
                .resolve(transformName)
                .resolve(runId.toString());
    }

    /** Creates the run's directories and profile; throws with the reason when it cannot. */
    Prepared prepare(TransformDefinition d, RunEntity run) throws IOException {
        Path runDir = runDir(d.name(), run.runId);
        Path project = paths.require("projectDir", d.projectDir(), "dbt_project.yml");
        Files.createDirectories(runDir.resolve("target"));
        Files.createDirectories(runDir.resolve("logs"));
        Path profiles =
                d.profilesDir() != null
                        ? paths.require("profilesDir", d.profilesDir(), "profiles.yml")
                        : ProfileWriter.write(runDir, d, project);
        String executable = executable(config.dbtExecutable());
        Optional<String> missing = missingExecutable(executable);
        if (missing.isPresent()) {
            throw new IllegalStateException(missing.get());
        }
        return new Prepared(runDir, project, profiles, executable);
    }

    /**
     * Writes the project's {@code manifest.json} with {@code dbt parse} into the run's target
     * directory, within {@code timeout}; returns the file.
     */
    public Path parse(TransformDefinition d, RunEntity run, Duration timeout) throws IOException {
        Prepared p;
        try {
            p = prepare(d, run);
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage());
        }
        List<String> command = new ArrayList<>(SIGINT_RESET);
        command.addAll(
                DbtCommand.parseArguments(
                        p.executable(), d, p.project(), p.profiles(), p.runDir()));
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(p.runDir().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(p.runDir().resolve("logs").resolve("parse.out").toFile());
        environment(builder.environment());
        LOG.infof("run %s of %s: dbt parse for its selection", run.runId, d.name());
        Process process = builder.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                ProcessTree.kill(process, config.killGrace());
                throw new IOException("dbt parse did not end within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessTree.kill(process, Duration.ZERO);
            throw new IOException("interrupted");
        }
        Path manifest = p.runDir().resolve("target").resolve("manifest.json");
        if (process.exitValue() != 0 || !Files.isRegularFile(manifest)) {
            throw new IOException("dbt parse failed (exit code " + process.exitValue() + ")");
        }
        return manifest;
    }

    @Override
    public RunOutcome run(
            TransformDefinition d, RunEntity run, Duration timeout, RunExecution execution) {
        Prepared p;
        try {
            p = prepare(d, run);
        } catch (IOException | IllegalStateException e) {
            return RunOutcome.failed("cannot prepare the run: " + e.getMessage());
        }
        Path runDir = p.runDir();
        String executable = p.executable();
        List<String> args =
                RETRY.equals(d.commandOrDefault())
                        ? DbtCommand.retryArguments(
                                executable,
                                p.project(),
                                p.profiles(),
                                runDir,
                                runDir(d.name(), run.retryOf).resolve("target"))
                        : DbtCommand.arguments(executable, d, p.project(), p.profiles(), runDir);
        List<String> command = new ArrayList<>(SIGINT_RESET);
        command.addAll(args);
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(runDir.toFile()).redirectErrorStream(true);
        environment(builder.environment());
        LOG.infof("run %s of %s: %s", run.runId, d.name(), String.join(" ", args));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return RunOutcome.failed("cannot start dbt (" + executable + "): " + e.getMessage());
        }
        QuarkusTransaction.requiringNew().run(() -> runs.setPid(run.runId, process.pid()));
        execution.onStop(() -> ProcessTree.kill(process, config.killGrace()));
        DbtProgress progress = new DbtProgress(run, execution, runs);
        List<String> errors = progress.errors();
        Thread reader =
                new Thread(
                        () -> readLog(process, progress, run),
                        "dbt-log-" + run.runId.toString().substring(0, 8));
        reader.setDaemon(true);
        reader.start();
        boolean timedOut = false;
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                LOG.warnf(
                        "run %s of %s timed out after %s: killing dbt",
                        run.runId, d.name(), timeout);
                ProcessTree.kill(process, config.killGrace());
            }
            process.waitFor();
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessTree.kill(process, Duration.ZERO);
            return RunOutcome.failed("interrupted");
        }
        int exit = process.exitValue();
        // Before the run's end is recorded (and announced): whoever reads its event can fetch it.
        keepManifest(run, runDir.resolve("target"));
        Optional<RunResults> results = RunResults.read(runDir.resolve("target"));
        List<NodeResult> nodes = results.map(RunResults::nodes).orElse(List.of());
        var summary = results.map(RunResults::summary).orElse(null);
        var failures = results.map(RunResults::failures).orElse(List.of());
        if (execution.isCancelled()) {
            return new RunOutcome(
                    RunStatus.CANCELLED, exit, summary, failures, nodes, execution.cancelReason());
        }
        if (timedOut) {
            return new RunOutcome(
                    RunStatus.FAILED,
                    exit,
                    summary,
                    failures,
                    nodes,
                    "timed out after " + timeout + ": the dbt process tree was killed");
        }
        return RunOutcome.ofExit(exit, summary, failures, nodes, errors, lastLine(execution));
    }

    private void readLog(Process process, DbtProgress progress, RunEntity run) {
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                progress.accept(line);
            }
        } catch (IOException e) {
            LOG.debugf("log of run %s ended: %s", run.runId, e.getMessage());
        }
    }

    /**
     * Stores the run's {@code <target>/manifest.json} if dbt wrote a complete one; never fails the
     * run (a manifest that cannot be kept is logged and skipped).
     */
    private void keepManifest(RunEntity run, Path targetDir) {
        Path file = targetDir.resolve("manifest.json");
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            requireJson(file);
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            try (InputStream in = Files.newInputStream(file);
                    OutputStream gzip = new GZIPOutputStream(compressed)) {
                in.transferTo(gzip);
            }
            long size = Files.size(file);
            QuarkusTransaction.requiringNew()
                    .run(
                            () ->
                                    manifests.add(
                                            run.runId,
                                            run.transformName,
                                            size,
                                            compressed.toByteArray(),
                                            config.manifestsKept()));
        } catch (IOException | RuntimeException e) {
            LOG.warnf(
                    "run %s of %s: manifest.json not kept: %s",
                    run.runId, run.transformName, e.toString());
        }
    }

    /** A manifest cut short (dbt killed while writing it) is not kept: it must be whole JSON. */
    private static void requireJson(Path file) throws IOException {
        try (JsonParser parser = EventJson.mapper().getFactory().createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            parser.skipChildren();
        }
    }

    void environment(Map<String, String> env) {
        Map<String, String> own = System.getenv();
        env.clear();
        for (String name : BASE_ENV) {
            if (own.containsKey(name)) {
                env.put(name, own.get(name));
            }
        }
        for (String name : config.passEnv().orElse(List.of())) {
            if (own.containsKey(name)) {
                env.put(name, own.get(name));
            }
        }
        env.putAll(config.dbtEnv());
        env.put("DBT_SEND_ANONYMOUS_USAGE_STATS", "false");
        env.put("DBT_VERSION_CHECK", "false");
        env.put("PYTHONUNBUFFERED", "1");
        env.put("PYTHONIOENCODING", "utf-8");
    }

    private static List<String> sigintReset() {
        try {
            Process probe =
                    new ProcessBuilder("env", "--default-signal=INT", "true")
                            .redirectErrorStream(true)
                            .start();
            probe.getInputStream().readAllBytes();
            if (probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                return List.of("env", "--default-signal=INT");
            }
        } catch (IOException e) {
            // no GNU env here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.of();
    }

    /** A path (relative to the service's working directory) made absolute; a bare name stays. */
    static String executable(String configured) {
        return configured.contains("/")
                ? Path.of(configured).toAbsolutePath().normalize().toString()
                : configured;
    }

    static Optional<String> missingExecutable(String executable) {
        if (!executable.contains("/")) {
            return Optional.empty(); // looked up on PATH when started
        }
        if (Files.isExecutable(Path.of(executable))) {
            return Optional.empty();
        }
        return Optional.of(
                "dbt was not found at "
                        + executable
                        + ": create it with deploy/dbt/ensure-venv.sh (needs Python 3.10+ and"
                        + " PyPI), or set tributary.transform.dbt-executable");
    }

    static String lastLine(RunExecution execution) {
        List<String> tail = execution.tail();
        return tail.isEmpty() ? "no output" : tail.get(tail.size() - 1);
    }
}
