package io.tributary.trigger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU seconds from {@code /proc}: of one server process ({@code stat}: utime + stime, every
 * thread), and of the PostgreSQL server (postmaster, its live backends, and the backends it has
 * reaped).
 */
final class ProcCpu {
    private static final double TICKS = ticksPerSecond();

    private ProcCpu() {}

    /** The process's own CPU seconds (every thread). */
    static double of(long pid) {
        long[] f = fields(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
        return (f[11] + f[12]) / TICKS;
    }

    /**
     * A single-threaded process (a PostgreSQL server), its live children and its reaped ones. The
     * live ones from {@code schedstat} (nanoseconds): a backend's share of one request is far below
     * the 10 ms tick of {@code stat}.
     */
    static double tree(long pid) {
        long[] root = fields(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
        double seconds = (root[13] + root[14]) / TICKS + onCpu(pid);
        for (long child : children(pid)) {
            seconds += onCpu(child);
        }
        return seconds;
    }

    /** Seconds on a CPU of a single-threaded process, 0 when it is gone. */
    private static double onCpu(long pid) {
        try {
            String schedstat = Files.readString(Path.of("/proc", Long.toString(pid), "schedstat"));
            return Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))) / 1e9;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The PostgreSQL server whose command line names {@code marker} (its data directory). */
    static long postmaster(String marker) {
        return ProcessHandle.allProcesses()
                .filter(
                        p ->
                                p.info()
                                        .commandLine()
                                        .filter(
                                                c ->
                                                        c.contains("/bin/postgres")
                                                                && c.contains(marker))
                                        .isPresent())
                .mapToLong(ProcessHandle::pid)
                .findFirst()
                .orElse(-1);
    }

    private static List<Long> children(long parent) {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString())
                    .filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .forEach(
                            pid ->
                                    fields(pid)
                                            .filter(f -> f[1] == parent)
                                            .ifPresent(f -> out.add(pid)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /**
     * The numeric fields after the command name, indexed as in proc(5) minus 3: [1] ppid, [11]
     * utime, [12] stime, [13] cutime, [14] cstime. Empty when the process is gone.
     */
    private static Optional<long[]> fields(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return Optional.empty();
        }
        String[] parts = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long[] f = new long[15];
        for (int i = 1; i < f.length; i++) {
            f[i] = Long.parseLong(parts[i]);
        }
        return Optional.of(f);
    }

    private static double ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            return Double.parseDouble(new String(p.getInputStream().readAllBytes()).trim());
        } catch (IOException | NumberFormatException e) {
            return 100;
        }
    }
}
