package io.tributary.console.run;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.tributary.console.config.ConsoleConfig;
import io.tributary.console.web.SessionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Purges run details older than the retention, and expired sessions, every hour. */
@ApplicationScoped
public class RetentionJob {
    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    @Inject RunRepository runs;
    @Inject EventRepository events;
    @Inject SessionRepository sessions;
    @Inject ConsoleConfig config;

    @Scheduled(
            identity = "console-retention",
            every = "1h",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        purgeBefore(Instant.now().minus(config.retention()));
    }

    /** Deletes runs last updated before {@code before}, and events no run holds any more. */
    public int purgeBefore(Instant before) {
        int purged =
                QuarkusTransaction.requiringNew()
                        .timeout(600)
                        .call(
                                () -> {
                                    int n = runs.purge(before);
                                    events.deleteOrphans(before);
                                    sessions.purgeExpired();
                                    return n;
                                });
        if (purged > 0) {
            LOG.infof("purged %d run(s) last updated before %s", purged, before);
        }
        return purged;
    }
}
