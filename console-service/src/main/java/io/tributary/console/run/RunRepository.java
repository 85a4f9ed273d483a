package io.tributary.console.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runs' summaries: written by the projection, read by the pages. Native SQL (arrays, JSONB).
 */
@ApplicationScoped
public class RunRepository {
    private static final String COLUMNS =
            "correlation_id, started_at, updated_at, status, trigger_kind, trigger_id,"
                    + " connections, transforms, steps::text, failure, event_count";

    @Inject EntityManager em;
    @Inject ObjectMapper json;

    /** Filters of the runs list; nulls filter nothing. */
    public record Filter(
            RunStatus status,
            String connection,
            String transform,
            String triggerKind,
            Instant from,
            Instant to) {
        public static final Filter NONE = new Filter(null, null, null, null, null, null);
    }

    /** Where a page of the list starts: after this run (newest first). */
    public record Cursor(Instant startedAt, String correlationId) {}

    public void save(RunSummary s) {
        em.createNativeQuery(
                        """
                        insert into pipeline_run (correlation_id, started_at, updated_at, status,
                            trigger_kind, trigger_id, connections, transforms, steps, failure,
                            event_count)
                        values (?1, ?2, ?3, ?4, ?5, ?6, cast(?7 as text[]), cast(?8 as text[]),
                            cast(?9 as jsonb), ?10, ?11)
                        on conflict (correlation_id) do update set
                            started_at = excluded.started_at, updated_at = excluded.updated_at,
                            status = excluded.status, trigger_kind = excluded.trigger_kind,
                            trigger_id = excluded.trigger_id, connections = excluded.connections,
                            transforms = excluded.transforms, steps = excluded.steps,
                            failure = excluded.failure, event_count = excluded.event_count
                        """)
                .setParameter(1, s.correlationId())
                .setParameter(2, Timestamp.from(s.startedAt()))
                .setParameter(3, Timestamp.from(s.updatedAt()))
                .setParameter(4, s.status().wire())
                .setParameter(5, s.triggerKind())
                .setParameter(6, s.triggerId())
                .setParameter(7, s.connections().toArray(String[]::new))
                .setParameter(8, s.transforms().toArray(String[]::new))
                .setParameter(9, write(s.steps()))
                .setParameter(10, s.failure())
                .setParameter(11, s.eventCount())
                .executeUpdate();
    }

    public Optional<RunSummary> find(String correlationId) {
        List<?> rows =
                em.createNativeQuery(
                                "select "
                                        + COLUMNS
                                        + " from pipeline_run where correlation_id = ?1")
                        .setParameter(1, correlationId)
                        .getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(read((Object[]) rows.get(0)));
    }

    /** A page of runs, newest first, after {@code after} (keyset pagination: indexed). */
    public List<RunSummary> list(Filter f, Cursor after, int limit) {
        StringBuilder sql =
                new StringBuilder("select " + COLUMNS + " from pipeline_run where true");
        List<Object> params = new ArrayList<>();
        if (f.status() != null) {
            params.add(f.status().wire());
            sql.append(" and status = ?").append(params.size());
        }
        if (f.connection() != null) {
            params.add(new String[] {f.connection()});
            sql.append(" and connections @> cast(?").append(params.size()).append(" as text[])");
        }
        if (f.transform() != null) {
            params.add(new String[] {f.transform()});
            sql.append(" and transforms @> cast(?").append(params.size()).append(" as text[])");
        }
        if (f.triggerKind() != null) {
            params.add(f.triggerKind());
            sql.append(" and trigger_kind = ?").append(params.size());
        }
        if (f.from() != null) {
            params.add(Timestamp.from(f.from()));
            sql.append(" and started_at >= ?").append(params.size());
        }
        if (f.to() != null) {
            params.add(Timestamp.from(f.to()));
            sql.append(" and started_at < ?").append(params.size());
        }
        if (after != null) {
            params.add(Timestamp.from(after.startedAt()));
            params.add(after.correlationId());
            sql.append(" and (started_at, correlation_id) < (?")
                    .append(params.size() - 1)
                    .append(", ?")
                    .append(params.size())
                    .append(")");
        }
        sql.append(" order by started_at desc, correlation_id desc limit ").append(limit);
        Query q = em.createNativeQuery(sql.toString());
        for (int i = 0; i < params.size(); i++) {
            q.setParameter(i + 1, params.get(i));
        }
        List<RunSummary> runs = new ArrayList<>();
        for (Object row : q.getResultList()) {
            runs.add(read((Object[]) row));
        }
        return runs;
    }

    /** Runs started since {@code since}, counted by status. */
    public Map<String, Long> countsSince(Instant since) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (RunStatus s : RunStatus.values()) {
            counts.put(s.wire(), 0L);
        }
        for (Object row :
                em.createNativeQuery(
                                "select status, count(*) from pipeline_run where started_at >= ?1"
                                        + " group by status")
                        .setParameter(1, Timestamp.from(since))
                        .getResultList()) {
            Object[] r = (Object[]) row;
            counts.put((String) r[0], ((Number) r[1]).longValue());
        }
        return counts;
    }

    /** The newest runs in one status (overview: running now, last failures). */
    public List<RunSummary> latest(RunStatus status, int limit) {
        return list(new Filter(status, null, null, null, null, null), null, limit);
    }

    /** Deletes runs (and their links) not updated since {@code before}. */
    public int purge(Instant before) {
        em.createNativeQuery(
                        "delete from run_event r using pipeline_run p where p.correlation_id ="
                                + " r.correlation_id and p.updated_at < ?1")
                .setParameter(1, Timestamp.from(before))
                .executeUpdate();
        return em.createNativeQuery("delete from pipeline_run where updated_at < ?1")
                .setParameter(1, Timestamp.from(before))
                .executeUpdate();
    }

    private RunSummary read(Object[] r) {
        return new RunSummary(
                (String) r[0],
                EventRepository.instant(r[1]),
                EventRepository.instant(r[2]),
                RunStatus.of((String) r[3]),
                (String) r[4],
                (String) r[5],
                strings(r[6]),
                strings(r[7]),
                steps((String) r[8]),
                (String) r[9],
                ((Number) r[10]).intValue());
    }

    private static List<String> strings(Object array) {
        if (array instanceof String[] a) {
            return List.of(a);
        }
        if (array instanceof Object[] a) {
            return Arrays.stream(a).map(String::valueOf).toList();
        }
        if (array instanceof java.sql.Array a) {
            try {
                return Arrays.stream((Object[]) a.getArray()).map(String::valueOf).toList();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return List.of();
    }

    private String write(List<Step> steps) {
        try {
            return json.writeValueAsString(steps);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Step> steps(String text) {
        try {
            return json.readValue(text, new TypeReference<List<Step>>() {});
        } catch (Exception e) {
            throw new IllegalStateException("stored steps are unreadable", e);
        }
    }
}
