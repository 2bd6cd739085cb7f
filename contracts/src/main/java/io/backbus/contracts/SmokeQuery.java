package io.backbus.contracts;

/**
 * A plan's own check of a restored database: a read-only SQL query whose first column of its first row, as text,
 * must equal {@code expected} ({@code null} expects SQL NULL or no row).
 *
 * @param sql      the query, e.g. {@code select count(*) from orders where status = 'paid'}
 * @param expected the expected value as text
 */
public record SmokeQuery(String sql, String expected) {
}
