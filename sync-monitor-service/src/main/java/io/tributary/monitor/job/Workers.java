package io.tributary.monitor.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.monitor.config.MonitorConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The bounded pools that do the monitor's work, one per lane, so that no kind of work waits behind
 * another: dispatches (starting jobs) and checks (looking at one job), both talking to Airbyte.
 * Work is keyed (a connection, a job): a key is queued at most once, so callers hand work over and
 * never wait for it, and a slow task delays only its own key (or, in a batched lane, its batch).
 *
 * <p>A lane may be batched ({@link #batched}): its keys wait in arrival order and each worker takes
 * up to a batch of them at a time, so that a burst of a thousand connections costs tens of
 * transactions, not thousands.
 */
@ApplicationScoped
public class Workers {
    private static final Logger LOG = Logger.getLogger(Workers.class);

    /** A kind of work with a pool of its own. */
    public enum Lane {
        DISPATCH,
        CHECK;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private record Running(String what, long startNanos, AtomicBoolean reported) {}

    @Inject MonitorConfig config;
    @Inject MeterRegistry registry;

    private final Map<Lane, ThreadPoolExecutor> pools = new EnumMap<>(Lane.class);

    /** Queued or running keys; TRUE when asked to run again once the current run ends. */
    private final Map<String, Boolean> queued = new ConcurrentHashMap<>();

    private final Map<String, Running> running = new ConcurrentHashMap<>();

    private final Map<Lane, Batches> batched = new EnumMap<>(Lane.class);
    private volatile boolean stopped;

    @PostConstruct
    void start() {
        int concurrency = Math.max(1, config.poll().concurrency());
        for (Lane lane : Lane.values()) {
            ThreadPoolExecutor pool =
                    (ThreadPoolExecutor)
                            Executors.newFixedThreadPool(concurrency, threads(lane.tag()));
            pools.put(lane, pool);
            Gauge.builder("tributary.monitor.tasks.waiting", pool, p -> p.getQueue().size())
                    .description("Keyed tasks queued for a worker, per lane")
                    .tag("lane", lane.tag())
                    .register(registry);
        }
    }

    /** Daemon threads named {@code monitor-<name>-<n>}. */
    static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "monitor-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @PreDestroy
    void stop() {
        stopped = true;
        pools.values().forEach(ExecutorService::shutdownNow);
    }

    /**
     * Makes {@code lane} batched: {@link #submit} queues keys, and {@code handler} gets them by
     * batches of at most {@code size}, from every worker of the lane at once.
     */
    public void batched(Lane lane, int size, Consumer<List<String>> handler) {
        Batches b = new Batches(lane, Math.max(1, size), handler);
        batched.put(lane, b);
        Gauge.builder("tributary.monitor.keys.waiting", b, Batches::waiting)
                .description("Keys queued for a batched lane (connections to dispatch)")
                .tag("lane", lane.tag())
                .register(registry);
    }

    /**
     * Queues keys for a batched lane. A key already queued is not queued twice; one being handled
     * is handled once more afterwards (what it looked at may have changed since).
     */
    public void submit(Lane lane, Collection<String> keys) {
        batched.get(lane).submit(keys, true);
    }

    /** Queues those of these keys that are neither queued nor being handled. */
    public void submitIfIdle(Lane lane, Collection<String> keys) {
        batched.get(lane).submit(keys, false);
    }

    /** How many keys wait in a batched lane. */
    public int waiting(Lane lane) {
        return batched.get(lane).waiting();
    }

    /** The keys queued for a batched lane, not yet taken by a worker. */
    public List<String> waitingKeys(Lane lane) {
        return batched.get(lane).waitingKeys();
    }

    /**
     * Runs {@code task} soon. When {@code key} is already queued, nothing more is queued; when it
     * is running, it runs once more afterwards (what it looked at may have changed since).
     */
    public void runSoon(Lane lane, String key, Runnable task) {
        String k = lane.tag() + " " + key;
        while (true) {
            Boolean before = queued.putIfAbsent(k, Boolean.FALSE);
            if (before == null) {
                execute(lane, k, task);
                return;
            }
            if (before || queued.replace(k, Boolean.FALSE, Boolean.TRUE)) {
                return;
            }
            // The running task finished between the two calls: queue it afresh.
        }
    }

    /** Runs {@code task} soon unless {@code key} is already queued or running; never waits. */
    public boolean runIfIdle(Lane lane, String key, Runnable task) {
        String k = lane.tag() + " " + key;
        if (queued.putIfAbsent(k, Boolean.FALSE) != null) {
            return false;
        }
        execute(lane, k, task);
        return true;
    }

    /** How many keys of a lane are queued or running. */
    public int busy(Lane lane) {
        String prefix = lane.tag() + " ";
        return (int) queued.keySet().stream().filter(k -> k.startsWith(prefix)).count();
    }

    /** Logs (once each) and counts the tasks running longer than the slow-task threshold. */
    public void reportSlow() {
        Duration threshold = config.poll().slowTask();
        long now = System.nanoTime();
        running.forEach(
                (k, r) -> {
                    Duration took = Duration.ofNanos(now - r.startNanos());
                    if (took.compareTo(threshold) > 0 && r.reported().compareAndSet(false, true)) {
                        slow(k).increment();
                        LOG.warnf(
                                "%s still running after %s (slow-task threshold %s): only its"
                                        + " own key waits",
                                r.what(), seconds(took), threshold);
                    }
                });
    }

    /** A batched lane's queue: keys wait in arrival order; workers take a batch at a time. */
    private final class Batches {
        private final Lane lane;
        private final int size;
        private final Consumer<List<String>> handler;
        private final Set<String> waiting = new LinkedHashSet<>();
        private final Set<String> handling = new HashSet<>();
        private final Set<String> again = new HashSet<>();
        private int active;

        Batches(Lane lane, int size, Consumer<List<String>> handler) {
            this.lane = lane;
            this.size = size;
            this.handler = handler;
        }

        synchronized int waiting() {
            return waiting.size();
        }

        synchronized List<String> waitingKeys() {
            return new ArrayList<>(waiting);
        }

        synchronized void submit(Collection<String> keys, boolean againIfHandled) {
            for (String k : keys) {
                if (!handling.contains(k)) {
                    waiting.add(k);
                } else if (againIfHandled) {
                    again.add(k);
                }
            }
            ThreadPoolExecutor pool = pools.get(lane);
            while (!stopped && active < pool.getMaximumPoolSize() && !waiting.isEmpty()) {
                active++;
                try {
                    pool.execute(this::work);
                } catch (RejectedExecutionException e) {
                    active--;
                    return;
                }
            }
        }

        private void work() {
            while (true) {
                List<String> batch = take();
                if (batch == null) {
                    return;
                }
                String what =
                        lane.tag()
                                + " of "
                                + batch.size()
                                + (batch.size() == 1 ? " key " : " keys from ")
                                + batch.get(0);
                Running r = new Running(what, System.nanoTime(), new AtomicBoolean());
                running.put(what, r);
                try {
                    handler.accept(batch);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "%s failed", what);
                } finally {
                    running.remove(what);
                    finished(lane, r);
                    done(batch);
                }
            }
        }

        private synchronized List<String> take() {
            if (stopped || waiting.isEmpty()) {
                active--;
                return null;
            }
            List<String> batch = new ArrayList<>(Math.min(size, waiting.size()));
            Iterator<String> it = waiting.iterator();
            while (it.hasNext() && batch.size() < size) {
                String k = it.next();
                it.remove();
                batch.add(k);
            }
            handling.addAll(batch);
            return batch;
        }

        private synchronized void done(List<String> batch) {
            for (String k : batch) {
                handling.remove(k);
                if (again.remove(k)) {
                    waiting.add(k);
                }
            }
        }
    }

    private void execute(Lane lane, String k, Runnable task) {
        try {
            pools.get(lane).execute(() -> runKeyed(lane, k, task));
        } catch (RejectedExecutionException e) {
            queued.remove(k);
            LOG.debugf("%s not run: %s", k, e.getMessage());
        }
    }

    private void runKeyed(Lane lane, String k, Runnable task) {
        do {
            Running r = new Running(k, System.nanoTime(), new AtomicBoolean());
            running.put(k, r);
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warnf(e, "%s failed", k);
            } finally {
                running.remove(k);
                finished(lane, r);
            }
            // Only this thread removes the key; others only turn FALSE into TRUE.
        } while (!queued.remove(k, Boolean.FALSE)
                && queued.replace(k, Boolean.TRUE, Boolean.FALSE));
    }

    private void finished(Lane lane, Running r) {
        Duration took = Duration.ofNanos(System.nanoTime() - r.startNanos());
        Timer.builder("tributary.monitor.task.duration")
                .description("Time a keyed task (dispatch, check) ran")
                .tag("lane", lane.tag())
                .register(registry)
                .record(took);
        if (took.compareTo(config.poll().slowTask()) <= 0) {
            return;
        }
        if (r.reported().compareAndSet(false, true)) {
            slow(r.what()).increment();
            LOG.warnf(
                    "%s took %s (slow-task threshold %s)",
                    r.what(), seconds(took), config.poll().slowTask());
        } else {
            LOG.infof("%s finished after %s", r.what(), seconds(took));
        }
    }

    private Counter slow(String k) {
        return Counter.builder("tributary.monitor.tasks.slow")
                .description("Tasks that ran longer than tributary.monitor.poll.slow-task")
                .tag("lane", k.substring(0, k.indexOf(' ')))
                .register(registry);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
