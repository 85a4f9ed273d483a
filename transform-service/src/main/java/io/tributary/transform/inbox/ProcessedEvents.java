package io.tributary.transform.inbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/** The ce_ids this service has processed: the database decides, so re-deliveries change nothing. */
@ApplicationScoped
public class ProcessedEvents {
    @Inject DataSource dataSource;

    /**
     * Records the event; false when it was processed before (call inside the work's transaction).
     */
    public boolean markProcessed(String eventId, String eventType, String subject) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "insert into processed_event (event_id, event_type, subject)"
                                        + " values (?, ?, ?) on conflict do nothing")) {
            ps.setString(1, eventId);
            ps.setString(2, eventType);
            ps.setString(3, subject);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record processed event " + eventId, e);
        }
    }

    public boolean isProcessed(String eventId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select 1 from processed_event where event_id = ?")) {
            ps.setString(1, eventId);
            return ps.executeQuery().next();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
