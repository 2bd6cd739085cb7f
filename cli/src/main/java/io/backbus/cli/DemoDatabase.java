package io.backbus.cli;

import io.backbus.localstack.PostgresCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The demo's source database: a small shop with a few tables, rows and a canary string to look for. */
final class DemoDatabase {

    static final String NAME = "shop";
    /** Written into the source; it must never be readable in the stored object. */
    static final String CANARY = "BACKBUS-CANARY-7f3a9c-plaintext-must-not-reach-s3";

    private DemoDatabase() {
    }

    /** (Re)creates the demo database owned by {@code owner} and fills it. */
    static void create(PostgresCluster postgres, String owner) {
        postgres.execute("postgres", "drop database if exists " + NAME + " with (force)");
        postgres.execute("postgres", "create database " + NAME + " owner " + owner);
        postgres.execute(NAME, "set role " + owner + ";"
                + "create table customers (id int primary key, name text not null, email text not null);"
                + "insert into customers select g, 'customer ' || g, 'c' || g || '@example.com'"
                + "  from generate_series(1, 500) g;"
                + "create table orders (id int primary key, customer_id int not null references customers,"
                + "  placed_at timestamptz not null, total numeric(10,2) not null);"
                + "insert into orders select g, 1 + g % 500, now() - (g || ' minutes')::interval, (g % 997) / 3.0"
                + "  from generate_series(1, 3000) g;"
                + "create table order_items (order_id int not null references orders, line int not null,"
                + "  sku text not null, qty int not null, primary key (order_id, line));"
                + "insert into order_items select 1 + g / 3, g % 3, 'sku-' || (g % 120), 1 + g % 5"
                + "  from generate_series(0, 8999) g;"
                + "create table notes (id serial primary key, body text not null);"
                + "insert into notes (body) values ('" + CANARY + "');");
    }

    /** Exact row counts of every table in the public schema. */
    static Map<String, Long> rowCounts(PostgresCluster postgres, String database) {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = postgres.connect(database); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select tablename from pg_tables where schemaname = 'public' "
                    + "order by tablename")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("select count(*) from public.\"" + table + "\"")) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new CliException("cannot count rows in " + database + ": " + e.getMessage(), e);
        }
        return counts;
    }
}
