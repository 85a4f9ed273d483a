package io.tributary.monitor.job;

import io.tributary.monitor.config.MonitorConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The bounded pool that talks to Airbyte: a tick's checks and dispatches, and the webhook hints and
 * fresh requests handled at once. Its size bounds the concurrent Airbyte calls.
 */
@ApplicationScoped
public class Workers {
    private static final Logger LOG = Logger.getLogger(Workers.class);

    @Inject MonitorConfig config;

    private ExecutorService pool;

    @PostConstruct
    void start() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads =
                r -> {
                    Thread t = new Thread(r, "monitor-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                };
        pool = Executors.newFixedThreadPool(Math.max(1, config.poll().concurrency()), threads);
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    /** Runs a task soon; failures are logged, never thrown. */
    public void submit(String what, Runnable task) {
        try {
            pool.submit(
                    () -> {
                        try {
                            task.run();
                        } catch (RuntimeException e) {
                            LOG.warnf(e, "%s failed", what);
                        }
                    });
        } catch (RuntimeException e) {
            LOG.debugf("%s not submitted: %s", what, e.getMessage());
        }
    }

    /** Runs the tasks on the pool and waits for all of them. */
    public void runAll(String what, Collection<Runnable> tasks) {
        List<Future<?>> running = new ArrayList<>();
        for (Runnable task : tasks) {
            running.add(
                    pool.submit(
                            () -> {
                                try {
                                    task.run();
                                } catch (RuntimeException e) {
                                    LOG.warnf(e, "%s failed", what);
                                }
                            }));
        }
        for (Future<?> f : running) {
            try {
                f.get(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.debugf("%s: %s", what, e.getMessage());
            }
        }
    }
}
