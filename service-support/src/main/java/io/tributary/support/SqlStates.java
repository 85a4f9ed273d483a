package io.tributary.support;

import java.sql.SQLException;
import java.util.function.Supplier;

/** PostgreSQL error states the services act on, found anywhere in an exception's causes. */
public final class SqlStates {
    private SqlStates() {}

    /**
     * A unique or primary key violation (SQLState 23505): a concurrent insert of the same key
     * committed between a check and an insert (another request, another replica).
     */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs an upsert, and once more when a concurrent insert of the same key won the race: the
     * second run finds the row and updates it (two replicas loading the same definitions file).
     */
    public static <T> T upsertRacing(Supplier<T> upsert) {
        try {
            return upsert.get();
        } catch (RuntimeException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            return upsert.get();
        }
    }
}
