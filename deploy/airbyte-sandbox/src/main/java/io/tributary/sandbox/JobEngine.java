package io.tributary.sandbox;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The connections and jobs of the sandbox and the state machine that moves jobs along. Every job
 * steps on Vert.x timers, never on a thread of its own, so 10,000 running jobs cost a few MB. One
 * lock guards all state: each operation is short, so contention stays far below the HTTP cost.
 */
final class JobEngine {

    private static final Logger LOG = Logger.getLogger(JobEngine.class.getName());

    /** Told about each job that reached a final state. */
    interface TerminalListener {
        void onTerminal(JobSnapshot job, SandboxConnection connection);
    }

    /** Writes (or clears) a connection's destination data; runs off the event loop. */
    interface DataLoader {
        /** Writes the named streams' tables; returns the rows written per stream name. */
        Map<String, Long> load(
                SandboxConnection connection,
                long jobId,
                int generation,
                boolean badData,
                Set<String> streams)
                throws Exception;

        void clear(SandboxConnection connection) throws Exception;
    }

    private static final class ConnState {
        SandboxConnection info;
        ConnectionScript script;
        SimJob current;
        int loads;
        final List<SimJob> jobs = new ArrayList<>();
    }

    private static final class SimJob {
        long id;
        UUID connectionId;
        JobType type;
        JobStatus status;
        Instant createdAt;
        Instant updatedAt;
        Long rows;
        Long bytes;
        int attempts;
        String error;
        ConnectionScript script;
        List<StreamStats> streamStats;
        final List<AttemptSnapshot> attemptHistory = new ArrayList<>();
        long timerId = -1;
        // Bumped on every transition, so a timer that fires late for an old state does nothing.
        int generation;
        boolean loading;

        JobSnapshot snapshot() {
            return new JobSnapshot(
                    id,
                    connectionId,
                    type,
                    status,
                    createdAt,
                    updatedAt,
                    rows,
                    bytes,
                    attempts,
                    error,
                    streamStats,
                    List.copyOf(attemptHistory));
        }
    }

    private final Object lock = new Object();
    private final Vertx vertx;
    private final Clock clock;
    private final Map<UUID, ConnState> connections = new LinkedHashMap<>();
    private final Map<Long, SimJob> byId = new HashMap<>();
    private final List<SimJob> jobs = new ArrayList<>();
    private final List<TerminalListener> listeners = new ArrayList<>();
    private final ExecutorService loaderThread;
    private volatile double timeCompression;
    private volatile DataLoader loader;
    private long nextJobId = 1;

    JobEngine(Vertx vertx, Clock clock, double timeCompression) {
        this.vertx = vertx;
        this.clock = clock;
        setTimeCompression(timeCompression);
        this.loaderThread =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "airbyte-sandbox-loader");
                            t.setDaemon(true);
                            return t;
                        });
    }

    void setTimeCompression(double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("time compression must be > 0: " + factor);
        }
        this.timeCompression = factor;
    }

    double timeCompression() {
        return timeCompression;
    }

    void setLoader(DataLoader loader) {
        this.loader = loader;
    }

    void addListener(TerminalListener listener) {
        synchronized (lock) {
            listeners.add(listener);
        }
    }

    void shutdown() {
        loaderThread.shutdownNow();
    }

    // ---- connections ----

    void addConnection(SandboxConnection connection, ConnectionScript script) {
        synchronized (lock) {
            if (connections.containsKey(connection.connectionId())) {
                throw new IllegalArgumentException(
                        "connection exists: " + connection.connectionId());
            }
            ConnState state = new ConnState();
            state.info = connection;
            state.script = script;
            connections.put(connection.connectionId(), state);
        }
    }

    List<SandboxConnection> connections() {
        synchronized (lock) {
            return connections.values().stream().map(c -> c.info).toList();
        }
    }

    SandboxConnection connection(UUID id) {
        synchronized (lock) {
            return state(id).info;
        }
    }

    ConnectionScript script(UUID id) {
        synchronized (lock) {
            return state(id).script;
        }
    }

    void setScript(UUID id, ConnectionScript script) {
        synchronized (lock) {
            state(id).script = script;
        }
    }

    void setActive(UUID id, boolean active) {
        synchronized (lock) {
            ConnState c = state(id);
            c.info = c.info.withActive(active);
        }
    }

    private ConnState state(UUID id) {
        ConnState c = connections.get(id);
        if (c == null) {
            throw ApiProblem.notFound("connection", String.valueOf(id));
        }
        return c;
    }

    // ---- jobs: API operations ----

    /** {@code POST /jobs}: starts a job or throws the problem Airbyte would answer. */
    JobSnapshot create(UUID connectionId, JobType type) {
        if (type == JobType.REFRESH) {
            throw ApiProblem.unprocessable("Refreshes are not supported in the public API");
        }
        synchronized (lock) {
            ConnState c = state(connectionId);
            if (!c.info.active()) {
                throw ApiProblem.stateConflict("Could not fulfill request");
            }
            SimJob running = c.current;
            if (running != null) {
                // A reset or clear cancels the running sync; anything else must wait its turn.
                if (type == JobType.SYNC || running.type != JobType.SYNC) {
                    throw ApiProblem.tryAgainLater(
                            "A sync is already running for: " + connectionId);
                }
                end(c, running, JobStatus.CANCELLED, null);
            }
            SimJob job = new SimJob();
            job.id = nextJobId++;
            job.connectionId = connectionId;
            job.type = type;
            job.status = JobStatus.PENDING;
            job.createdAt = clock.instant();
            job.updatedAt = job.createdAt;
            job.script = c.script;
            job.streamStats = zeroStats(c.info);
            c.current = job;
            c.jobs.add(job);
            jobs.add(job);
            byId.put(job.id, job);
            after(job, job.script.pendingFor(), () -> leavePending(c, job));
            return job.snapshot();
        }
    }

    /**
     * {@code DELETE /jobs/{id}}: like Airbyte, cancels whatever job the connection runs now (which
     * may not be the job named), and answers the named job.
     */
    JobSnapshot cancel(long jobId) {
        synchronized (lock) {
            SimJob named = byId.get(jobId);
            if (named == null) {
                throw ApiProblem.notFound("job", String.valueOf(jobId));
            }
            ConnState c = connections.get(named.connectionId);
            if (c.current == null) {
                throw ApiProblem.stateConflict("Job is not currently running");
            }
            end(c, c.current, JobStatus.CANCELLED, null);
            return named.snapshot();
        }
    }

    JobSnapshot job(long jobId) {
        synchronized (lock) {
            SimJob job = byId.get(jobId);
            if (job == null) {
                throw ApiProblem.notFound("job", String.valueOf(jobId));
            }
            return job.snapshot();
        }
    }

    List<JobSnapshot> jobsOf(UUID connectionId) {
        synchronized (lock) {
            return state(connectionId).jobs.stream().map(SimJob::snapshot).toList();
        }
    }

    /** Jobs matching {@code filter}, sorted, then the page [offset, offset+limit). */
    List<JobSnapshot> list(
            UUID connectionId,
            Predicate<JobSnapshot> filter,
            Comparator<JobSnapshot> order,
            int offset,
            int limit) {
        List<JobSnapshot> matching = new ArrayList<>();
        synchronized (lock) {
            List<SimJob> source;
            if (connectionId != null) {
                ConnState c = connections.get(connectionId);
                source = c == null ? List.of() : c.jobs;
            } else {
                source = jobs;
            }
            for (SimJob job : source) {
                JobSnapshot s = job.snapshot();
                if (filter.test(s)) {
                    matching.add(s);
                }
            }
        }
        matching.sort(order);
        int from = Math.min(offset, matching.size());
        int to = Math.min(matching.size(), from + limit);
        return List.copyOf(matching.subList(from, to));
    }

    // ---- jobs: manual controls ----

    /** Ends the connection's current job now with its scripted outcome (a hang succeeds). */
    JobSnapshot completeNow(UUID connectionId) {
        synchronized (lock) {
            ConnState c = state(connectionId);
            SimJob job = c.current;
            if (job == null) {
                throw new IllegalStateException("no job running on " + connectionId);
            }
            if (job.script.outcome() == ConnectionScript.Outcome.FAIL && job.type == JobType.SYNC) {
                end(c, job, JobStatus.FAILED, job.script.errorMessage());
            } else {
                succeed(c, job);
            }
            return job.snapshot();
        }
    }

    /** Ends a job now with {@code status}; a success loads data like a scripted one would. */
    JobSnapshot finish(long jobId, JobStatus status, String errorMessage) {
        if (!status.isTerminal()) {
            throw new IllegalArgumentException("not a final status: " + status);
        }
        synchronized (lock) {
            SimJob job = byId.get(jobId);
            if (job == null) {
                throw new IllegalArgumentException("no job " + jobId);
            }
            if (job.status.isTerminal()) {
                throw new IllegalStateException("job " + jobId + " already " + job.status.json());
            }
            ConnState c = connections.get(job.connectionId);
            if (status == JobStatus.SUCCEEDED) {
                succeed(c, job);
            } else {
                String message =
                        errorMessage != null
                                ? errorMessage
                                : status == JobStatus.FAILED ? "Failed by the sandbox" : null;
                end(c, job, status, message);
            }
            return job.snapshot();
        }
    }

    // ---- state machine (called with the lock held) ----

    private void leavePending(ConnState c, SimJob job) {
        if (job.status == JobStatus.PENDING
                && job.script.queuedFor().compareTo(Duration.ZERO) > 0) {
            transition(job, JobStatus.QUEUED);
            after(job, job.script.queuedFor(), () -> startAttempt(c, job));
        } else {
            startAttempt(c, job);
        }
    }

    private void startAttempt(ConnState c, SimJob job) {
        transition(job, JobStatus.RUNNING);
        job.attempts++;
        job.attemptHistory.add(
                new AttemptSnapshot(
                        job.attempts - 1,
                        "running",
                        job.updatedAt,
                        job.updatedAt,
                        null,
                        zeroStats(c.info)));
        if (job.rows == null) {
            // Stats appear with the first attempt; until then Airbyte reports none.
            job.rows = 0L;
            job.bytes = 0L;
        }
        ConnectionScript s = job.script;
        if (job.type != JobType.SYNC) {
            after(job, s.resetDuration(), () -> succeed(c, job));
            return;
        }
        switch (s.outcome()) {
            case HANG -> {}
            case FAIL ->
                    after(
                            job,
                            s.attemptDuration(),
                            () -> end(c, job, JobStatus.FAILED, s.errorMessage()));
            case INCOMPLETE_THEN_SUCCEED -> {
                if (job.attempts <= s.failedAttempts()) {
                    after(
                            job,
                            s.attemptDuration(),
                            () -> {
                                transition(job, JobStatus.INCOMPLETE);
                                closeAttempt(job, "failed", zeroStats(c.info));
                                after(
                                        job,
                                        s.attemptDuration().dividedBy(2),
                                        () -> startAttempt(c, job));
                            });
                } else {
                    after(job, s.attemptDuration(), () -> succeed(c, job));
                }
            }
            case SUCCEED, BAD_DATA -> after(job, s.attemptDuration(), () -> succeed(c, job));
        }
    }

    private void succeed(ConnState c, SimJob job) {
        DataLoader dl = loader;
        if (job.loading) {
            return;
        }
        if (dl == null || !c.info.loadsShopData()) {
            boolean sync = job.type == JobType.SYNC;
            setStats(job, sync ? job.script.statsFor(c.info.streams()) : zeroStats(c.info));
            end(c, job, JobStatus.SUCCEEDED, null);
            return;
        }
        // The data lands before the job reports success, as in Airbyte, so a test that sees
        // "succeeded" can read the rows at once.
        job.loading = true;
        if (job.rows == null) {
            job.rows = 0L;
            job.bytes = 0L;
        }
        boolean isSync = job.type == JobType.SYNC;
        int generation = isSync ? ++c.loads : 0;
        boolean bad = job.script.outcome() == ConnectionScript.Outcome.BAD_DATA;
        SandboxConnection info = c.info;
        Set<String> tables = tablesToLoad(info, job.script);
        loaderThread.execute(
                () -> {
                    Map<String, Long> rows = Map.of();
                    String failure = null;
                    try {
                        if (isSync) {
                            rows = dl.load(info, job.id, generation, bad, tables);
                        } else {
                            dl.clear(info);
                        }
                    } catch (Exception e) {
                        LOG.log(Level.WARNING, "data loading failed for job " + job.id, e);
                        failure = "Failed to load data into the destination: " + e.getMessage();
                    }
                    synchronized (lock) {
                        job.loading = false;
                        if (job.status.isTerminal()) {
                            return; // cancelled while loading
                        }
                        if (failure != null) {
                            end(c, job, JobStatus.FAILED, failure);
                        } else {
                            setStats(job, loadedStats(info, rows));
                            end(c, job, JobStatus.SUCCEEDED, null);
                        }
                    }
                });
    }

    private void end(ConnState c, SimJob job, JobStatus status, String error) {
        if (job.status.isTerminal()) {
            return;
        }
        transition(job, status);
        job.error = error;
        if (job.attempts > 0) {
            boolean ok = status == JobStatus.SUCCEEDED;
            closeAttempt(
                    job, ok ? "succeeded" : "failed", ok ? job.streamStats : zeroStats(c.info));
        }
        if (c.current == job) {
            c.current = null;
        }
        JobSnapshot snapshot = job.snapshot();
        SandboxConnection info = c.info;
        for (TerminalListener l : listeners) {
            try {
                l.onTerminal(snapshot, info);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "terminal listener failed", e);
            }
        }
    }

    /** Stats per stream, all zero: what a job shows until it succeeds. */
    private static List<StreamStats> zeroStats(SandboxConnection info) {
        List<Long> zeros = info.streams().stream().map(s -> 0L).toList();
        return ConnectionScript.withBytes(info.streams(), zeros, 0);
    }

    /** The rows a loader wrote per table, 100 bytes a row, as the job's stream stats. */
    private static List<StreamStats> loadedStats(SandboxConnection info, Map<String, Long> rows) {
        List<Long> records =
                info.streams().stream().map(s -> rows.getOrDefault(s.name(), 0L)).toList();
        long total = records.stream().mapToLong(Long::longValue).sum();
        return ConnectionScript.withBytes(info.streams(), records, total * 100);
    }

    /** Every stream, or those a script gave records to (so only those tables change). */
    private static Set<String> tablesToLoad(SandboxConnection info, ConnectionScript script) {
        Map<String, Long> scripted = script.streamRecords();
        return info.streams().stream()
                .map(SandboxStream::name)
                .filter(n -> scripted == null || scripted.getOrDefault(n, 0L) > 0)
                .collect(Collectors.toSet());
    }

    private static void setStats(SimJob job, List<StreamStats> stats) {
        job.streamStats = stats;
        job.rows = stats.stream().mapToLong(StreamStats::records).sum();
        job.bytes = stats.stream().mapToLong(StreamStats::bytes).sum();
    }

    /** Ends the job's running attempt (if any) with {@code status}. */
    private static void closeAttempt(SimJob job, String status, List<StreamStats> stats) {
        int last = job.attemptHistory.size() - 1;
        AttemptSnapshot a = job.attemptHistory.get(last);
        if (a.endedAt() == null) {
            job.attemptHistory.set(
                    last,
                    new AttemptSnapshot(
                            a.number(),
                            status,
                            a.createdAt(),
                            job.updatedAt,
                            job.updatedAt,
                            stats));
        }
    }

    private void transition(SimJob job, JobStatus status) {
        job.status = status;
        job.updatedAt = clock.instant();
        job.generation++;
        if (job.timerId >= 0) {
            vertx.cancelTimer(job.timerId);
            job.timerId = -1;
        }
    }

    /**
     * Runs {@code step} under the lock after the scripted {@code delay}, unless the job moved on.
     */
    private void after(SimJob job, Duration delay, Runnable step) {
        int expected = job.generation;
        long millis = Math.max(1, Math.round(delay.toMillis() / timeCompression));
        job.timerId =
                vertx.setTimer(
                        millis,
                        id -> {
                            synchronized (lock) {
                                if (job.generation == expected && !job.status.isTerminal()) {
                                    job.timerId = -1;
                                    step.run();
                                }
                            }
                        });
    }
}
