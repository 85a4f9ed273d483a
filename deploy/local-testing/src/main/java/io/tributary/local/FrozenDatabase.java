package io.tributary.local;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Freezes a local PostgreSQL as a stalled host would (SIGSTOP of the server and every backend: the
 * sockets stay open, nothing answers) and thaws it. The server is found through a connection of its
 * own: its backend's parent is the postmaster. Local embedded servers only.
 */
public final class FrozenDatabase implements AutoCloseable {
    private final List<Long> pids;

    private FrozenDatabase(List<Long> pids) {
        this.pids = pids;
    }

    /** Stops the server behind this JDBC URL until {@link #close}. */
    public static FrozenDatabase freeze(String jdbcUrl, String user, String password) {
        ProcessHandle postmaster;
        // Looked up while the connection is open: its backend ends with it.
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                ResultSet rs = c.createStatement().executeQuery("select pg_backend_pid()")) {
            rs.next();
            long backend = rs.getLong(1);
            postmaster =
                    ProcessHandle.of(backend)
                            .flatMap(ProcessHandle::parent)
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "no postmaster for " + backend));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database to freeze it", e);
        }
        // The server first, so it forks no backend the list below would miss; a backend that
        // ended meanwhile is simply gone.
        signal("STOP", postmaster.pid(), true);
        List<Long> pids = new ArrayList<>(List.of(postmaster.pid()));
        postmaster.descendants().forEach(p -> pids.add(p.pid()));
        pids.stream().skip(1).forEach(pid -> signal("STOP", pid, false));
        return new FrozenDatabase(pids);
    }

    /** Thaws it: every process it stopped continues. */
    @Override
    public void close() {
        pids.forEach(pid -> signal("CONT", pid, false));
    }

    private static void signal(String signal, long pid, boolean required) {
        try {
            int exit =
                    new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start()
                            .waitFor();
            if (exit != 0 && required) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " exited " + exit);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal the database", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
