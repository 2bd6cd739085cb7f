package io.backbus.contracts;

/**
 * A table whose restored row count differs from the count taken in the backup's snapshot.
 *
 * @param table        {@code schema.table}
 * @param expectedRows rows in the backup's snapshot
 * @param actualRows   rows after the restore, or null when the table is missing
 */
public record TableMismatch(String table, long expectedRows, Long actualRows) {
}
