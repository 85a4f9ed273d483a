package io.tributary.transform.run;

import io.tributary.events.StreamStats;
import io.tributary.transform.dbt.ManifestSources.SourceTable;
import io.tributary.transform.definition.DefinitionValidator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code select: changed}: from the endings that triggered a run, the dbt selection of exactly what
 * reads the streams that committed records ({@code source:<source>.<table>+} per changed source
 * table). Anything it cannot be sure of — an ending without per-stream counts, a count missing or
 * negative, a stream no source reads, a manifest that cannot be read, a name that could reach dbt's
 * selector syntax — falls back to the full selection, with the reason; it never yields an empty
 * selection.
 */
public final class ChangedStreams {
    private ChangedStreams() {}

    /** The source tables of the project's manifest, or why they are not known. */
    public interface Sources {
        List<SourceTable> get() throws UnavailableException;
    }

    /** The manifest could not be had or read. */
    public static class UnavailableException extends Exception {
        public UnavailableException(String message) {
            super(message);
        }
    }

    /**
     * What to run.
     *
     * @param selectors the narrowed selection, or null for the full one ({@code fallback})
     * @param skip nothing changed: no dbt run
     * @param reason why (for the run and its events)
     * @param changed the changed streams, {@code namespace.name}; null when not known
     */
    public record Plan(List<String> selectors, boolean skip, String reason, List<String> changed) {
        static Plan fallback(String reason, List<String> changed) {
            return new Plan(null, false, "full selection: " + reason, changed);
        }

        public boolean isFallback() {
            return selectors == null && !skip;
        }
    }

    public static Plan plan(
            List<SyncEnding> endings, Map<String, String> mapping, Sources sources) {
        if (endings.isEmpty()) {
            return Plan.fallback("no sync ending is known for this run", null);
        }
        if (endings.stream().anyMatch(SyncEnding::isManual)) {
            return Plan.fallback("a manual trigger", null);
        }
        Set<String> changed = new LinkedHashSet<>();
        for (SyncEnding e : endings) {
            if (e.streams() == null) {
                return Plan.fallback(
                        "sync job "
                                + e.jobId()
                                + " of connection "
                                + e.connectionId()
                                + " reported no per-stream counts",
                        null);
            }
            for (StreamStats s : e.streams()) {
                String problem = problem(s);
                if (problem != null) {
                    return Plan.fallback(problem + " (sync job " + e.jobId() + ")", null);
                }
                if (s.recordsCommitted() > 0) {
                    changed.add(key(s));
                }
            }
        }
        List<String> changedList = List.copyOf(changed);
        if (changed.isEmpty()) {
            return new Plan(
                    null,
                    true,
                    "no stream committed records in sync job(s) "
                            + endings.stream()
                                    .map(e -> String.valueOf(e.jobId()))
                                    .distinct()
                                    .collect(Collectors.joining(", "))
                            + ": nothing to build",
                    List.of());
        }
        Set<String> tables = new TreeSet<>();
        List<SourceTable> known = null;
        for (String stream : changedList) {
            String explicit = mapping.get(stream);
            if (explicit != null) {
                tables.add(explicit);
                continue;
            }
            if (known == null) {
                try {
                    known = sources.get();
                } catch (UnavailableException e) {
                    return Plan.fallback(
                            "the project's manifest is unavailable: " + e.getMessage(),
                            changedList);
                }
            }
            List<String> found = sourcesReading(stream, known);
            if (found.isEmpty()) {
                return Plan.fallback(
                        "stream "
                                + stream
                                + " feeds no dbt source of the project (no source with that"
                                + " schema and identifier; map it with streamSources)",
                        changedList);
            }
            for (String table : found) {
                if (!DefinitionValidator.isSourceTable(table)) {
                    return Plan.fallback(
                            "the source of stream "
                                    + stream
                                    + " has a name dbt selectors cannot"
                                    + " carry safely",
                            changedList);
                }
                tables.add(table);
            }
        }
        List<String> selectors = tables.stream().map(t -> "source:" + t + "+").toList();
        return new Plan(
                selectors,
                false,
                "changed streams "
                        + String.join(", ", changedList)
                        + " → "
                        + String.join(" ", selectors),
                changedList);
    }

    /** Why a stream's entry cannot be trusted, or null. */
    static String problem(StreamStats s) {
        if (s == null
                || s.name() == null
                || !DefinitionValidator.STREAM_NAME.matcher(s.name()).matches()) {
            return "stream name '"
                    + printable(s == null ? null : s.name())
                    + "' refused (letters,"
                    + " digits and _ only)";
        }
        if (s.namespace() != null
                && !DefinitionValidator.STREAM_NAMESPACE.matcher(s.namespace()).matches()) {
            return "stream namespace '"
                    + printable(s.namespace())
                    + "' refused (letters, digits,"
                    + " _ . and - only)";
        }
        if (s.recordsCommitted() == null || s.recordsCommitted() < 0) {
            return "stream "
                    + key(s)
                    + " has an unknown record count ("
                    + s.recordsCommitted()
                    + ")";
        }
        return null;
    }

    /** {@code namespace.name}, or {@code name} without a namespace. */
    static String key(StreamStats s) {
        return s.namespace() == null ? s.name() : s.namespace() + "." + s.name();
    }

    private static List<String> sourcesReading(String stream, List<SourceTable> known) {
        int dot = stream.lastIndexOf('.');
        if (dot < 0) {
            return List.of(); // no namespace: no schema to match
        }
        String namespace = stream.substring(0, dot);
        String name = stream.substring(dot + 1);
        List<String> found = new ArrayList<>();
        for (SourceTable t : known) {
            if (t.reads(namespace, name)) {
                found.add(t.sourceName() + "." + t.name());
            }
        }
        return found;
    }

    /** Echoes a refused name safely: control characters as '?', at most 60 characters. */
    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "…" : clean;
    }
}
