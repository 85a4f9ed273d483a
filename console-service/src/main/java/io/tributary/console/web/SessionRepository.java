package io.tributary.console.web;

import io.tributary.console.config.ConsoleConfig;
import io.tributary.support.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Server-side sessions: the cookie holds 32 random bytes; only their SHA-256 is stored, so a copy
 * of the database signs no one in. Callers bring the transaction.
 */
@ApplicationScoped
public class SessionRepository {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject EntityManager em;
    @Inject ConsoleConfig config;

    /** A new session; answers the cookie value (shown once, never stored). */
    public String create(String caller, Scope scope) {
        String id = random();
        Instant now = Instant.now();
        em.createNativeQuery(
                        """
                        insert into console_session (id_hash, caller, scope, csrf_token, created_at,
                            expires_at) values (?1, ?2, ?3, ?4, ?5, ?6)
                        """)
                .setParameter(1, hash(id))
                .setParameter(2, caller)
                .setParameter(3, scope.name().toLowerCase(Locale.ROOT))
                .setParameter(4, random())
                .setParameter(5, Timestamp.from(now))
                .setParameter(6, Timestamp.from(now.plus(config.sessionTtl())))
                .executeUpdate();
        return id;
    }

    /** The live session of a cookie value, if any. */
    public Optional<Session> find(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 100) {
            return Optional.empty();
        }
        List<?> rows =
                em.createNativeQuery(
                                "select caller, scope, csrf_token, expires_at from console_session"
                                        + " where id_hash = ?1 and expires_at > now()")
                        .setParameter(1, hash(cookie))
                        .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(
                new Session(
                        (String) r[0],
                        Scope.valueOf(((String) r[1]).toUpperCase(Locale.ROOT)),
                        (String) r[2],
                        io.tributary.console.run.EventRepository.instant(r[3])));
    }

    public void delete(String cookie) {
        if (cookie != null) {
            em.createNativeQuery("delete from console_session where id_hash = ?1")
                    .setParameter(1, hash(cookie))
                    .executeUpdate();
        }
    }

    public int purgeExpired() {
        return em.createNativeQuery("delete from console_session where expires_at <= now()")
                .executeUpdate();
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String value) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of two CSRF tokens. */
    public static boolean same(String expected, String presented) {
        if (expected == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
