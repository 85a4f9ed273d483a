package io.tributary.local;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/** Creates one database and one least-privilege login per service, as production will have. */
final class ServiceDatabases {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ServiceDatabases() {}

    static ServiceDatabase create(
            String adminUrl,
            String adminUser,
            String adminPassword,
            String urlPrefix,
            String service) {
        String name = ServiceDatabase.identifier(service);
        byte[] secret = new byte[18];
        RANDOM.nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        try (Connection c = DriverManager.getConnection(adminUrl, adminUser, adminPassword);
                Statement st = c.createStatement()) {
            if (!exists(c, "select 1 from pg_roles where rolname = ?", name)) {
                st.execute("create role " + name + " login");
            }
            // The identifier is validated above; the password is hex, so quoting is safe.
            st.execute("alter role " + name + " password '" + password + "'");
            if (!exists(c, "select 1 from pg_database where datname = ?", name)) {
                st.execute("create database " + name + " owner " + name);
            }
            st.execute("revoke all on database " + name + " from public");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database of " + service, e);
        }
        return new ServiceDatabase(service, name, name, password, urlPrefix + name);
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            return ps.executeQuery().next();
        }
    }
}
