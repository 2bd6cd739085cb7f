package io.backbus.agent.domain;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server of a target, as the destination of a restore: reached over JDBC with the target's host,
 * port and user, the password from the target's own source (as for its dumps) passed as a connection property only
 * — never in a URL, a log line or a message. Administrative statements (looking up, creating, dropping the
 * destination database) run in the target's own configured database.
 */
final class DestinationServer {

    private static final Logger log = LoggerFactory.getLogger(DestinationServer.class);
    static final String APPLICATION_NAME = "backbus-dump-agent";
    /** Bounded like pg_dump's and pg_restore's PGCONNECT_TIMEOUT. */
    private static final String CONNECT_TIMEOUT_SECONDS = "10";

    private final DumpTarget target;
    private final PasswordSource.ChildCredentials credentials;

    /**
     * @param target      the target whose server is written to
     * @param credentials what {@code target.passwordSource()} resolved to (also handed to pg_restore)
     */
    DestinationServer(DumpTarget target, PasswordSource.ChildCredentials credentials) {
        this.target = target;
        this.credentials = credentials;
    }

    DumpTarget target() {
        return target;
    }

    /** Strings that must never leave the agent (the passwords). */
    List<String> secrets() {
        return credentials.secrets();
    }

    /**
     * The destination database as found before a restore.
     *
     * @param exists   whether it exists
     * @param tables   its user tables (what pg_dump dumps the data of), 0 when it does not exist
     * @param leftover whether it was created by an earlier attempt of this same restore that never finished (the
     *                 agent died mid-restore and the event was redelivered): it may then be dropped and recreated
     */
    record State(boolean exists, int tables, boolean leftover) {
    }

    /** Looks the database up in {@code pg_database} and counts its user tables. */
    State inspect(DatabaseName database, UUID restoreId) throws SQLException {
        boolean exists;
        String comment;
        try (Connection c = connect(target.database(), false);
                PreparedStatement ps = c.prepareStatement("select pg_catalog.shobj_description(oid, 'pg_database') "
                        + "from pg_catalog.pg_database where datname = ?")) {
            ps.setString(1, database.name());
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
                comment = exists ? rs.getString(1) : null;
            }
        }
        if (!exists) {
            return new State(false, 0, false);
        }
        try (Connection c = connect(database.name(), false); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from (" + RowCountSnapshot.TABLES_SQL + ") t")) {
            rs.next();
            return new State(true, rs.getInt(1), inProgressComment(restoreId).equals(comment));
        }
    }

    /**
     * {@code CREATE DATABASE} from {@code template0} (a dump restores into a pristine database, not one carrying
     * template1's additions), owned by the target's user; marked with a comment naming this restore until it
     * completes, so a redelivered attempt recognises its own leftover.
     */
    void create(DatabaseName database, UUID restoreId) throws SQLException {
        execute("create database " + database.identifier() + " template template0");
        comment(database, inProgressComment(restoreId));
    }

    /** {@code DROP DATABASE ... WITH (FORCE)}: ends sessions still connected to it. */
    void drop(DatabaseName database) throws SQLException {
        execute("drop database if exists " + database.identifier() + " with (force)");
    }

    /** Sets the database's comment; a failure is logged only (the comment is informative). */
    void comment(DatabaseName database, String comment) {
        try {
            execute("comment on database " + database.identifier() + " is '" + comment.replace("'", "''") + "'");
        } catch (SQLException e) {
            log.warn("Cannot comment database {} on target '{}': {}", database, target.name(),
                    FailureReason.scrub(String.valueOf(e.getMessage()), secrets()));
        }
    }

    static String inProgressComment(UUID restoreId) {
        return "backbus: restore " + restoreId + " in progress";
    }

    /**
     * A session on {@code database}. With {@code readOnly} every transaction of the session is read-only
     * ({@code default_transaction_read_only}), also one a smoke query might start after committing its own.
     */
    Connection connect(String database, boolean readOnly) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", target.user());
        String password = target.passwordSource().jdbcPassword(on(database), credentials);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", APPLICATION_NAME);
        props.setProperty("connectTimeout", CONNECT_TIMEOUT_SECONDS);
        props.setProperty("loginTimeout", CONNECT_TIMEOUT_SECONDS);
        if (readOnly) {
            props.setProperty("options", "-c default_transaction_read_only=on");
        }
        String host = target.host().indexOf(':') >= 0 && !target.host().startsWith("[") ? "[" + target.host() + "]"
                : target.host();
        String url = "jdbc:postgresql://" + host + ":" + target.port() + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
        return DriverManager.getConnection(url, props);
    }

    /** The target with another database: what libpq (and the passfile lookup) sees for a session on it. */
    DumpTarget on(String database) {
        return new DumpTarget(target.name(), target.host(), target.port(), database, target.user(),
                target.passwordSource(), target.kind());
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = connect(target.database(), false); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
