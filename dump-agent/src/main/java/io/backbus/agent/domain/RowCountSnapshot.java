package io.backbus.agent.domain;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A JDBC session on a target that exports its snapshot for {@code pg_dump --snapshot} and counts, in that same
 * snapshot, the rows of every table whose data pg_dump dumps. Open it before pg_dump starts; close it only once
 * pg_dump has imported the snapshot and the counts are done. The password is passed as a connection property only;
 * it is never part of the URL, a log line or a message.
 */
public final class RowCountSnapshot implements AutoCloseable {

    /** Tables whose data pg_dump dumps without -n/-t: ordinary tables (incl. partition leaves) in user schemas. */
    static final String TABLES_SQL = """
            select n.nspname, c.relname
              from pg_catalog.pg_class c
              join pg_catalog.pg_namespace n on n.oid = c.relnamespace
             where c.relkind = 'r'
               and c.relpersistence <> 't'
               and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
               and n.nspname not like 'pg\\_temp\\_%' and n.nspname not like 'pg\\_toast\\_temp\\_%'
               and not exists (select from pg_catalog.pg_depend d
                                where d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                  and d.objid = c.oid and d.deptype = 'e')
             order by 1, 2""";

    private final Connection connection;
    private final String snapshotId;
    private volatile Statement running;
    private volatile boolean cancelled;

    private RowCountSnapshot(Connection connection, String snapshotId) {
        this.connection = connection;
        this.snapshotId = snapshotId;
    }

    /**
     * Connects, begins a {@code REPEATABLE READ, READ ONLY} transaction and exports its snapshot.
     *
     * @param password null to let the driver find one itself (or none, for trust authentication)
     * @throws SQLException when the server cannot be reached or refuses the login; its message carries no password
     */
    public static RowCountSnapshot open(DumpTarget target, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", target.user());
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", "backbus-dump-agent");
        // bounded like pg_dump's PGCONNECT_TIMEOUT
        props.setProperty("connectTimeout", "10");
        props.setProperty("loginTimeout", "10");
        String url = "jdbc:postgresql://" + hostForUrl(target.host()) + ":" + target.port() + "/"
                + java.net.URLEncoder.encode(target.database(), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("+", "%20");
        Connection connection = DriverManager.getConnection(url, props);
        try {
            try (Statement st = connection.createStatement()) {
                st.execute("begin isolation level repeatable read, read only");
                try (ResultSet rs = st.executeQuery("select pg_catalog.pg_export_snapshot()")) {
                    rs.next();
                    return new RowCountSnapshot(connection, rs.getString(1));
                }
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    public String snapshotId() {
        return snapshotId;
    }

    /** Exact row counts, keyed {@code schema.table}, sorted, all in the exported snapshot. */
    public Map<String, Long> count() throws SQLException {
        List<String[]> tables = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(TABLES_SQL)) {
            while (rs.next()) {
                tables.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Statement st = connection.createStatement()) {
            running = st;
            for (String[] table : tables) {
                if (cancelled) {
                    throw new SQLException("row counting cancelled");
                }
                try (ResultSet rs = st.executeQuery("select count(*) from " + quote(table[0]) + "."
                        + quote(table[1]))) {
                    rs.next();
                    counts.put(table[0] + "." + table[1], rs.getLong(1));
                }
            }
        }
        return counts;
    }

    /** Stops a {@link #count()} running on another thread (pg_dump failed: its counts are of no use). */
    public void cancel() {
        cancelled = true;
        Statement st = running;
        if (st != null) {
            try {
                st.cancel();
            } catch (SQLException ignored) {
                // closing the session ends the query too
            }
        }
    }

    /** A double-quoted SQL identifier. */
    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String hostForUrl(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** Ends the transaction (and with it the exported snapshot) and the session. */
    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the server ends the transaction with the session
        }
    }

    /**
     * What a failed connect or count says, with the causes' messages (e.g. "Connection refused"), scrubbed.
     */
    public static String describe(SQLException e, Collection<String> secrets) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(" (").append(cause.getMessage()).append(')');
            }
        }
        return FailureReason.scrub(text.toString(), secrets);
    }
}
