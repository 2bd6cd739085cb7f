package io.backbus.contracts;

/**
 * The outcome of one smoke query after a restore.
 *
 * @param sql      the query
 * @param expected the expected value as text
 * @param actual   the value found as text (null for SQL NULL, no row, or an error)
 * @param passed   whether actual equals expected
 * @param error    the database's error message if the query failed, else null
 */
public record SmokeResult(String sql, String expected, String actual, boolean passed, String error) {
}
