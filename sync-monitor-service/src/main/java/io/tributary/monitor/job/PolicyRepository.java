package io.tributary.monitor.job;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;

@ApplicationScoped
public class PolicyRepository implements PanacheRepositoryBase<ConnectionPolicyEntity, String> {

    /** The policies of these connections (those that have one). */
    @SuppressWarnings("unchecked")
    public List<ConnectionPolicyEntity> forConnections(Collection<String> connectionIds) {
        return getEntityManager()
                .createNativeQuery(
                        "select * from connection_policy"
                                + " where connection_id = any(string_to_array(?1, ','))",
                        ConnectionPolicyEntity.class)
                .setParameter(1, MonitorState.idList(connectionIds))
                .getResultList();
    }
}
