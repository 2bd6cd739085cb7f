package io.backbus.agent.domain;

import io.backbus.contracts.RestoreVerification;
import io.backbus.contracts.SmokeQuery;
import io.backbus.contracts.SmokeResult;
import io.backbus.contracts.TableMismatch;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a restored database against the backup: the exact row count of every table the manifest lists (counted in
 * the dump's own snapshot) and the plan's smoke queries.
 *
 * <ul>
 * <li>Tables are found as the dump counted them ({@link RowCountSnapshot#TABLES_SQL}), keyed {@code schema.table},
 * so names holding dots or quotes need no parsing; each is counted with {@code select count(*)} of its quoted
 * name, all in one repeatable-read snapshot. A listed table that is missing is a mismatch with
 * {@code actualRows} null; tables the destination has beyond the manifest's are not checked.</li>
 * <li>Each smoke query runs in its own read-only transaction (on a session whose every transaction is read-only)
 * with {@code statement_timeout}; its result is the first column of the first row as PostgreSQL's text (SQL NULL
 * or no row: null), which must equal {@code expected}. A query error fails that query with the server's
 * message.</li>
 * </ul>
 */
final class RestoreVerifier {

    static final int MAX_NAMED = 10;
    static final int SQL_SHOWN = 80;

    private final Duration smokeQueryTimeout;

    RestoreVerifier(Duration smokeQueryTimeout) {
        this.smokeQueryTimeout = smokeQueryTimeout;
    }

    /**
     * @param connection a read-only session on the restored database
     * @param expected   the manifest's row counts, or null when the backup recorded none
     * @throws SQLException when counting fails (smoke query errors are results, not exceptions)
     */
    RestoreVerification verify(Connection connection, Map<String, Long> expected, List<SmokeQuery> smokeQueries,
            Collection<String> secrets) throws SQLException {
        List<TableMismatch> mismatches = new ArrayList<>();
        int tablesChecked = 0;
        long rowsChecked = 0;
        connection.setAutoCommit(false);
        if (expected != null) {
            try (Statement st = connection.createStatement()) {
                st.execute("set transaction isolation level repeatable read, read only");
                Map<String, String> quoted = new LinkedHashMap<>();
                try (ResultSet rs = st.executeQuery(RowCountSnapshot.TABLES_SQL)) {
                    while (rs.next()) {
                        String schema = rs.getString(1);
                        String table = rs.getString(2);
                        quoted.putIfAbsent(schema + "." + table,
                                RowCountSnapshot.quote(schema) + "." + RowCountSnapshot.quote(table));
                    }
                }
                for (Map.Entry<String, Long> table : new java.util.TreeMap<>(expected).entrySet()) {
                    String name = quoted.get(table.getKey());
                    long want = table.getValue() == null ? 0 : table.getValue();
                    if (name == null) {
                        mismatches.add(new TableMismatch(table.getKey(), want, null));
                        continue;
                    }
                    long rows;
                    try (ResultSet rs = st.executeQuery("select count(*) from " + name)) {
                        rs.next();
                        rows = rs.getLong(1);
                    }
                    tablesChecked++;
                    rowsChecked += rows;
                    if (rows != want) {
                        mismatches.add(new TableMismatch(table.getKey(), want, rows));
                    }
                }
            } finally {
                connection.rollback();
            }
        }
        List<SmokeResult> smoke = new ArrayList<>();
        for (SmokeQuery query : smokeQueries) {
            smoke.add(run(connection, query, secrets));
        }
        boolean passed = mismatches.isEmpty() && smoke.stream().allMatch(SmokeResult::passed);
        return new RestoreVerification(passed, tablesChecked, rowsChecked, List.copyOf(mismatches), List.copyOf(smoke),
                summary(expected != null, tablesChecked, rowsChecked, mismatches, smoke));
    }

    private SmokeResult run(Connection connection, SmokeQuery query, Collection<String> secrets) throws SQLException {
        String sql = query.sql();
        if (sql == null || sql.isBlank()) {
            return new SmokeResult(sql == null ? "" : sql, query.expected(), null, false, "the smoke query has no SQL");
        }
        try (Statement st = connection.createStatement()) {
            st.execute("set transaction read only");
            st.execute("set local statement_timeout = " + Math.max(1, smokeQueryTimeout.toMillis()));
            String actual = null;
            if (st.execute(sql)) {
                try (ResultSet rs = st.getResultSet()) {
                    if (rs.next()) {
                        actual = rs.getString(1);
                    }
                }
            }
            boolean passed = Objects.equals(actual, query.expected());
            return new SmokeResult(sql, query.expected(), actual, passed, null);
        } catch (SQLException e) {
            // SQLSTATE class 08: the session is gone, which is no answer of the query's
            if (e.getSQLState() != null && e.getSQLState().startsWith("08") || connection.isClosed()) {
                throw e;
            }
            return new SmokeResult(sql, query.expected(), null, false, FailureReason.scrub(message(e), secrets));
        } finally {
            if (!connection.isClosed()) {
                connection.rollback();
            }
        }
    }

    /**
     * The server's message as the driver reports it, first line only and without the severity:
     * {@code relation "x" does not exist} (the driver adds {@code Position: 15} and the like on further lines).
     */
    static String message(SQLException e) {
        String text = String.valueOf(e.getMessage()).strip();
        int newline = text.indexOf('\n');
        if (newline > 0) {
            text = text.substring(0, newline);
        }
        return oneLine(text.replaceFirst("^(ERROR|FATAL): +", ""));
    }

    /**
     * One line for an operator: "2 tables, 49411 rows match the backup's snapshot; 1 smoke query passed", or the
     * mismatching tables by name: "row counts differ in public.orders (expected 48211, found 48210); ...".
     */
    static String summary(boolean countsRecorded, int tablesChecked, long rowsChecked, List<TableMismatch> mismatches,
            List<SmokeResult> smoke) {
        List<String> parts = new ArrayList<>();
        if (!countsRecorded) {
            parts.add("row counts were not recorded in the backup's manifest, so none were compared");
        } else if (mismatches.isEmpty()) {
            parts.add(tablesChecked + plural(tablesChecked, " table", " tables") + ", " + rowsChecked
                    + plural(rowsChecked, " row", " rows") + " match the backup's snapshot");
        } else {
            List<String> named = mismatches.stream().limit(MAX_NAMED).map(m -> m.table() + " (expected "
                    + m.expectedRows() + ", " + (m.actualRows() == null ? "table missing" : "found " + m.actualRows())
                    + ")").toList();
            String more = mismatches.size() > MAX_NAMED ? " and " + (mismatches.size() - MAX_NAMED) + " more" : "";
            long matching = tablesChecked - mismatches.stream().filter(m -> m.actualRows() != null).count();
            parts.add("row counts differ in " + String.join(", ", named) + more + "; " + matching + " other "
                    + plural(matching, "table matches", "tables match"));
        }
        if (smoke.isEmpty()) {
            parts.add("no smoke queries");
        } else {
            List<SmokeResult> failed = smoke.stream().filter(r -> !r.passed()).toList();
            if (failed.isEmpty()) {
                parts.add(smoke.size() + plural(smoke.size(), " smoke query passed", " smoke queries passed"));
            } else {
                List<String> named = failed.stream().limit(MAX_NAMED).map(r -> "'" + shorten(oneLine(r.sql())) + "' "
                        + (r.error() != null ? "failed: " + shorten(r.error())
                                : "returned " + shown(r.actual()) + ", expected " + shown(r.expected()))).toList();
                parts.add(failed.size() + " of " + smoke.size() + plural(smoke.size(), " smoke query", " smoke queries")
                        + " failed: " + String.join(", ", named)
                        + (failed.size() > MAX_NAMED ? " and " + (failed.size() - MAX_NAMED) + " more" : ""));
            }
        }
        // one line, even for table names holding line breaks (legal in quoted identifiers)
        return String.join("; ", parts).replaceAll("[\\r\\n]+", " ");
    }

    private static String shown(String value) {
        return value == null ? "NULL" : "'" + shorten(oneLine(value)) + "'";
    }

    private static String shorten(String text) {
        return text.length() > SQL_SHOWN ? text.substring(0, SQL_SHOWN) + "…" : text;
    }

    static String oneLine(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }

    private static String plural(long n, String one, String many) {
        return n == 1 ? one : many;
    }
}
