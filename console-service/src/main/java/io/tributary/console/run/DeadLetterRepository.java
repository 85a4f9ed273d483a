package io.tributary.console.run;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The services' dead letters, stored by their position (a re-delivery changes nothing). */
@ApplicationScoped
public class DeadLetterRepository {
    private static final int MAX_VALUE = 64 * 1024;

    @Inject EntityManager em;

    public void record(ConsumerRecord<String, byte[]> record) {
        JsonNode headers = Projection.headers(record);
        String value =
                record.value() == null
                        ? null
                        : new String(record.value(), StandardCharsets.UTF_8).replace('\0', ' ');
        if (value != null && value.length() > MAX_VALUE) {
            value = value.substring(0, MAX_VALUE) + "…";
        }
        String reason = text(headers, "dead-letter-reason");
        em.createNativeQuery(
                        """
                        insert into dead_letter (topic, kafka_partition, kafka_offset, record_key,
                            reason, source_topic, source_partition, source_offset, headers,
                            value_text, received_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, cast(?9 as jsonb), ?10, now())
                        on conflict do nothing
                        """)
                .setParameter(1, record.topic())
                .setParameter(2, record.partition())
                .setParameter(3, record.offset())
                .setParameter(4, record.key())
                .setParameter(5, reason == null ? null : truncate(reason, 2000))
                .setParameter(6, text(headers, "dead-letter-topic"))
                .setParameter(7, number(text(headers, "dead-letter-partition")))
                .setParameter(8, number(text(headers, "dead-letter-offset")))
                .setParameter(9, headers.toString().replace("\\u0000", " "))
                .setParameter(10, value)
                .executeUpdate();
    }

    public List<DeadLetter> newest(int limit) {
        List<DeadLetter> out = new ArrayList<>();
        for (Object row :
                em.createNativeQuery(
                                """
                                select topic, kafka_partition, kafka_offset, record_key, reason,
                                    source_topic, source_partition, source_offset, headers::text,
                                    value_text, received_at
                                from dead_letter order by received_at desc, topic, kafka_offset desc
                                limit ?1
                                """)
                        .setParameter(1, limit)
                        .getResultList()) {
            Object[] r = (Object[]) row;
            out.add(
                    new DeadLetter(
                            (String) r[0],
                            ((Number) r[1]).intValue(),
                            ((Number) r[2]).longValue(),
                            (String) r[3],
                            (String) r[4],
                            (String) r[5],
                            r[6] == null ? null : ((Number) r[6]).intValue(),
                            r[7] == null ? null : ((Number) r[7]).longValue(),
                            (String) r[8],
                            (String) r[9],
                            EventRepository.instant(r[10])));
        }
        return out;
    }

    public long count() {
        return ((Number) em.createNativeQuery("select count(*) from dead_letter").getSingleResult())
                .longValue();
    }

    private static String text(JsonNode headers, String name) {
        JsonNode n = headers.get(name);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Long number(String s) {
        try {
            return s == null ? null : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String truncate(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
