package io.backbus.contracts;

import java.util.List;

/**
 * What the agent found when it checked a restored database against the backup's same-snapshot row counts and the
 * plan's smoke queries.
 *
 * @param passed        true when every table matched and every smoke query passed
 * @param tablesChecked number of tables whose rows were counted
 * @param rowsChecked   total rows counted in the restored database
 * @param mismatches    tables whose counts differ (empty when none)
 * @param smokeResults  one result per smoke query (empty when none)
 * @param summary       one line for an operator, naming the mismatching tables if any
 */
public record RestoreVerification(boolean passed, int tablesChecked, long rowsChecked, List<TableMismatch> mismatches,
        List<SmokeResult> smokeResults, String summary) {
}
