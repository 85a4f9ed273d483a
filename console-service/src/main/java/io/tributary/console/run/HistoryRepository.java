package io.tributary.console.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Recent endings of syncs and dbt runs, per connection and per transform (newest first). */
@ApplicationScoped
public class HistoryRepository {
    private static final int SCAN = 5000;

    @Inject EntityManager em;

    /** One ending: when, how, how long, how much, and the run it belongs to. */
    public record Ending(
            String subject,
            String status,
            Instant finishedAt,
            Duration duration,
            Long rows,
            String correlationId,
            String message) {}

    /** The last {@code perSubject} sync endings of each connection within {@code since}. */
    public Map<String, List<Ending>> syncEndings(Instant since, int perSubject) {
        return endings(
                """
                select data ->> 'connectionId', event_type, data ->> 'startedAt',
                    data ->> 'finishedAt', data ->> 'rowsSynced', correlation_id, data ->> 'message',
                    event_time
                from pipeline_event
                where event_type in ('io.tributary.sync.succeeded', 'io.tributary.sync.failed',
                                     'io.tributary.sync.cancelled')
                  and data ->> 'jobId' is not null and event_time >= ?1
                order by event_time desc limit ?2
                """,
                "io.tributary.sync.",
                since,
                perSubject);
    }

    /** The last {@code perSubject} dbt run endings of each transform within {@code since}. */
    public Map<String, List<Ending>> transformEndings(Instant since, int perSubject) {
        return endings(
                """
                select data ->> 'transformName', event_type, data ->> 'startedAt',
                    data ->> 'finishedAt', null, correlation_id, data ->> 'message', event_time
                from pipeline_event
                where event_type in ('io.tributary.transform.succeeded',
                                     'io.tributary.transform.failed')
                  and event_time >= ?1
                order by event_time desc limit ?2
                """,
                "io.tributary.transform.",
                since,
                perSubject);
    }

    private Map<String, List<Ending>> endings(String sql, String prefix, Instant since, int per) {
        Map<String, List<Ending>> out = new LinkedHashMap<>();
        List<?> rows =
                em.createNativeQuery(sql)
                        .setParameter(1, Timestamp.from(since))
                        .setParameter(2, SCAN)
                        .getResultList();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            String subject = (String) r[0];
            List<Ending> list = out.computeIfAbsent(subject, s -> new ArrayList<>());
            if (subject == null || list.size() >= per) {
                continue;
            }
            Instant started = parse((String) r[2]);
            Instant finished = parse((String) r[3]);
            if (finished == null) {
                finished = EventRepository.instant(r[7]);
            }
            list.add(
                    new Ending(
                            subject,
                            ((String) r[1]).substring(prefix.length()),
                            finished,
                            started == null ? null : Duration.between(started, finished),
                            r[4] == null ? null : parseLong((String) r[4]),
                            (String) r[5],
                            (String) r[6]));
        }
        out.remove(null);
        return out;
    }

    private static Instant parse(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
