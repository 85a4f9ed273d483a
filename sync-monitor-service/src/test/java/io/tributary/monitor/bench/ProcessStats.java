package io.tributary.monitor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a child JVM costs, read from outside: heap used ({@code jstat -gc}: survivors + eden + old),
 * CPU seconds ({@code /proc/<pid>/stat}), and the live heap by class ({@code jcmd
 * GC.class_histogram}, which runs a full GC first).
 */
final class ProcessStats {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private ProcessStats() {}

    /** Heap used in MB (young + old), or -1 when jstat cannot tell. */
    static double heapUsedMb(long pid) {
        List<String> lines = run("jstat", "-gc", Long.toString(pid));
        if (lines.size() < 2) {
            return -1;
        }
        String[] names = lines.get(0).trim().split("\\s+");
        String[] values = lines.get(1).trim().split("\\s+");
        double kb = 0;
        for (int i = 0; i < names.length && i < values.length; i++) {
            if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
                kb += Double.parseDouble(values[i]);
            }
        }
        return kb / 1024;
    }

    /** User + system CPU seconds the process has used so far, or -1. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Writes the class histogram of the live heap (after a full GC) to {@code file}, returns the
     * total live MB.
     */
    static double liveHeapMb(long pid, Path file) throws IOException {
        List<String> lines = run("jcmd", Long.toString(pid), "GC.class_histogram");
        Files.write(file, lines, StandardCharsets.UTF_8);
        for (String line : lines) {
            if (line.trim().startsWith("Total")) {
                String[] f = line.trim().split("\\s+");
                return Long.parseLong(f[2]) / 1024.0 / 1024.0;
            }
        }
        return -1;
    }

    private static List<String> run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> lines =
                    new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                            .lines()
                            .toList();
            p.waitFor();
            return lines;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
