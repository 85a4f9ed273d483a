package io.tributary.local;

/** One service's own database and the only credentials handed to that service. */
public record ServiceDatabase(
        String service, String database, String username, String password, String jdbcUrl) {

    /**
     * PostgreSQL identifiers for a service name: {@code sync-monitor-service} → {@code
     * sync_monitor_service}.
     */
    public static String identifier(String service) {
        if (!service.matches("[a-z][a-z0-9-]{0,40}")) {
            throw new IllegalArgumentException("not a service name: " + service);
        }
        return service.replace('-', '_');
    }

    @Override
    public String toString() {
        // Never print the password.
        return "ServiceDatabase[" + service + " → " + jdbcUrl + " as " + username + "]";
    }
}
