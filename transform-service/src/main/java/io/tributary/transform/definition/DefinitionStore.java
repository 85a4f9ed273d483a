package io.tributary.transform.definition;

import io.tributary.events.EventJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Transform definitions in the service's database, as JSON (validated before they get here). */
@ApplicationScoped
public class DefinitionStore {
    /** Where a definition came from: the REST API or the YAML file loaded at start. */
    public enum Origin {
        API,
        FILE
    }

    @Inject DataSource dataSource;

    /** Inserts or replaces; true when it was new. */
    public boolean upsert(TransformDefinition d, Origin origin) {
        String sql =
                "insert into transform_definition (name, spec, origin) values (?, ?::jsonb, ?)"
                        + " on conflict (name) do update set spec = excluded.spec,"
                        + " origin = excluded.origin, updated_at = now()"
                        + " returning (xmax = 0)";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, d.name());
            ps.setString(2, EventJson.toJson(d));
            ps.setString(3, origin.name().toLowerCase());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save transform " + d.name(), e);
        }
    }

    /** Inserts only; false when the name is taken. */
    public boolean insert(TransformDefinition d, Origin origin) {
        String sql =
                "insert into transform_definition (name, spec, origin) values (?, ?::jsonb, ?)"
                        + " on conflict (name) do nothing";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, d.name());
            ps.setString(2, EventJson.toJson(d));
            ps.setString(3, origin.name().toLowerCase());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save transform " + d.name(), e);
        }
    }

    public Optional<TransformDefinition> find(String name) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select spec from transform_definition where name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(EventJson.read(rs.getString(1), TransformDefinition.class))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read transform " + name, e);
        }
    }

    public List<TransformDefinition> all() {
        List<TransformDefinition> all = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select spec from transform_definition order by name");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                all.add(EventJson.read(rs.getString(1), TransformDefinition.class));
            }
            return all;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list transforms", e);
        }
    }

    /** The transforms that a successful sync of {@code connectionId} concerns. */
    public List<TransformDefinition> downstreamOf(String connectionId) {
        return all().stream().filter(d -> d.upstreamConnections().contains(connectionId)).toList();
    }

    public boolean delete(String name) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("delete from transform_definition where name = ?")) {
            ps.setString(1, name);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete transform " + name, e);
        }
    }
}
