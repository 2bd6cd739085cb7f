package io.backbus.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * What a service's database holds, as one digest per table of the current schema: equal fingerprints before and
 * after hostile input mean no row was added, changed or removed. Left out are Flyway's history and the delivery
 * library's own bookkeeping ({@code processed_event}, which a documented no-op may add to, and
 * {@code outbox_event}, whose rows the relay deletes; the topics show what was sent).
 */
public final class DatabaseFingerprint {

    private static final Set<String> LEFT_OUT = Set.of("flyway_schema_history", "processed_event", "outbox_event");

    private DatabaseFingerprint() {
    }

    /** Table name → {@code count:md5} of its rows in a stable order. */
    public static Map<String, String> of(DataSource dataSource) {
        Map<String, String> fingerprint = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select table_name from information_schema.tables "
                    + "where table_schema = current_schema() and table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                if (LEFT_OUT.contains(table)) {
                    continue;
                }
                String quoted = "\"" + table.replace("\"", "\"\"") + "\"";
                try (ResultSet rs = s.executeQuery("select count(*) || ':' || coalesce(md5(string_agg(t::text, "
                        + "'|' order by t::text)), '') from " + quoted + " t")) {
                    rs.next();
                    fingerprint.put(table, rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot fingerprint the database: " + e.getMessage(), e);
        }
        return fingerprint;
    }

    /** Whether the consumer group recorded event {@code eventId} as processed. */
    public static boolean processed(DataSource dataSource, String consumerGroup, java.util.UUID eventId) {
        try (Connection c = dataSource.getConnection(); var ps = c.prepareStatement(
                "select count(*) from processed_event where consumer_group = ? and event_id = ?")) {
            ps.setString(1, consumerGroup);
            ps.setObject(2, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read processed_event: " + e.getMessage(), e);
        }
    }
}
