package io.tributary.support;

import java.sql.SQLException;

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
}
