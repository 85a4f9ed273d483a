package io.tributary.support;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientException;

/**
 * Tells a dependency that is down, frozen or too slow (answered 503, retry later) from a bug
 * (answered 500): by the causes a failed database call carries.
 */
public final class Outages {
    private Outages() {}

    /**
     * True for a lost or refused connection (SQLState class 08), a cancelled statement (57014: the
     * statement timeout), a server shutting down (57P), a socket read that timed out, or no pooled
     * connection within the acquisition timeout.
     */
    public static boolean isDatabaseOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof SQLTransientException) {
                return true;
            }
            if (t instanceof SQLException sql && outageState(sql.getSQLState(), sql.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private static boolean outageState(String state, String message) {
        if (state != null) {
            return state.startsWith("08") || state.equals("57014") || state.startsWith("57P");
        }
        // Agroal's acquisition timeout carries no SQLState.
        return message != null && message.startsWith("Acquisition timeout");
    }

    /** The innermost message, for a log line that names what failed without a stack trace. */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
