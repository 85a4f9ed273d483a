package io.tributary.console.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/** Records the console could not read: kept by position (once), counted per topic. */
@ApplicationScoped
public class UnreadableRepository {
    private static final Logger LOG = Logger.getLogger(UnreadableRepository.class);

    @Inject EntityManager em;

    public void record(ConsumerRecord<?, ?> record, String reason) {
        LOG.warnf(
                "unreadable record %s-%d@%d skipped: %s",
                record.topic(), record.partition(), record.offset(), reason);
        em.createNativeQuery(
                        """
                        insert into unreadable_record (topic, kafka_partition, kafka_offset, reason,
                            received_at)
                        values (?1, ?2, ?3, ?4, now()) on conflict do nothing
                        """)
                .setParameter(1, record.topic())
                .setParameter(2, record.partition())
                .setParameter(3, record.offset())
                .setParameter(4, reason.length() > 1000 ? reason.substring(0, 1000) : reason)
                .executeUpdate();
    }

    /** Unreadable records per topic. */
    public Map<String, Long> countsByTopic() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Object row :
                em.createNativeQuery(
                                "select topic, count(*) from unreadable_record group by topic"
                                        + " order by topic")
                        .getResultList()) {
            Object[] r = (Object[]) row;
            counts.put((String) r[0], ((Number) r[1]).longValue());
        }
        return counts;
    }
}
