package io.tributary.transform.run;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.transform.config.TransformConfig;
import io.tributary.transform.dbt.ManifestSources;
import io.tributary.transform.dbt.ManifestSources.SourceTable;
import io.tributary.transform.definition.TransformDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.jboss.logging.Logger;

/**
 * Decides what a claimed run executes, before it is announced: the definition's command and
 * selection, or — for {@code select: changed} — the selection its syncs' changed streams call for
 * (or nothing: skipped), or {@code dbt retry} of the run it retries. Never throws: whatever goes
 * wrong falls back to the definition's full selection, with the reason.
 */
@ApplicationScoped
public class SelectionPlanner {
    private static final Logger LOG = Logger.getLogger(SelectionPlanner.class);

    @Inject TransformConfig config;
    @Inject ManifestRepository manifests;
    @Inject RunRepository runs;
    @Inject CliRunner cli;

    /**
     * What a run executes.
     *
     * @param select the selection it passes ({@code --select}), null for everything
     * @param skip no dbt run ({@code reason} says why)
     */
    public record Decision(
            String command, String select, String reason, List<String> changed, boolean skip) {}

    public Decision decide(TransformDefinition d, RunEntity run) {
        try {
            if (run.retryOf != null) {
                return retry(d, run);
            }
            if (!d.selectsChanged()) {
                return new Decision(d.commandOrDefault(), d.select(), null, null, false);
            }
            return changed(d, run);
        } catch (RuntimeException e) {
            LOG.warnf(e, "run %s of %s: selection failed", run.runId, d.name());
            return new Decision(
                    d.commandOrDefault(),
                    fullSelection(d),
                    "full selection: the selection could not be computed (" + e + ")",
                    null,
                    false);
        }
    }

    private Decision changed(TransformDefinition d, RunEntity run) {
        ChangedStreams.Plan plan =
                ChangedStreams.plan(run.endings(), d.streamSourcesOrEmpty(), () -> sources(d, run));
        if (plan.isFallback()) {
            LOG.warnf("run %s of %s: %s", run.runId, d.name(), plan.reason());
        } else {
            LOG.infof("run %s of %s: %s", run.runId, d.name(), plan.reason());
        }
        return new Decision(
                d.commandOrDefault(),
                plan.selectors() == null ? fullSelection(d) : String.join(" ", plan.selectors()),
                plan.reason(),
                plan.changed(),
                plan.skip());
    }

    /**
     * {@code dbt retry} against the retried run's own target directory; when that run left no
     * {@code run_results.json} (dbt failed before running a node), its command runs again.
     */
    private Decision retry(TransformDefinition d, RunEntity run) {
        Optional<RunEntity> previous =
                QuarkusTransaction.requiringNew().call(() -> runs.findByIdOptional(run.retryOf));
        Path results = cli.runDir(d.name(), run.retryOf).resolve("target/run_results.json");
        if (Files.isRegularFile(results)) {
            return new Decision(
                    CliRunner.RETRY,
                    previous.map(p -> p.select).orElse(null),
                    "retry of run " + run.retryOf + ": its failed and skipped nodes",
                    previous.map(p -> p.changedStreams).orElse(null),
                    false);
        }
        boolean rerun = previous.isPresent() && !CliRunner.RETRY.equals(previous.get().command);
        return new Decision(
                d.commandOrDefault(),
                rerun ? previous.get().select : fullSelection(d),
                "retry of run "
                        + run.retryOf
                        + ": it left no run_results.json here, so "
                        + (rerun ? "its selection runs again" : "the full selection runs"),
                previous.map(p -> p.changedStreams).orElse(null),
                false);
    }

    /** The definition's selection when it cannot be narrowed: everything for select: changed. */
    static String fullSelection(TransformDefinition d) {
        return d.selectsChanged() ? null : d.select();
    }

    /** The source tables of the freshest manifest of the run's project, or {@code dbt parse}'s. */
    private List<SourceTable> sources(TransformDefinition d, RunEntity run)
            throws ChangedStreams.UnavailableException {
        Optional<byte[]> kept =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        manifests
                                                .newestOfProject(run.projectKey)
                                                .map(m -> m.manifestGzip));
        try {
            if (kept.isPresent()) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(kept.get()))) {
                    return ManifestSources.read(in);
                }
            }
            Path parsed = cli.parse(d, run, config.manifestParseTimeout());
            try (InputStream in = Files.newInputStream(parsed)) {
                return ManifestSources.read(in);
            }
        } catch (IOException e) {
            throw new ChangedStreams.UnavailableException(e.getMessage());
        }
    }
}
