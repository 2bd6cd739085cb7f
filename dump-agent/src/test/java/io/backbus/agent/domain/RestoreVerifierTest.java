package io.backbus.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.SmokeResult;
import io.backbus.contracts.TableMismatch;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-line summary of a verification (the checks themselves run against PostgreSQL in RestoreIT). */
class RestoreVerifierTest {

    private static final SmokeResult PAID = new SmokeResult("select count(*) from public.orders where status = "
            + "'paid'", "40112", "40112", true, null);

    @Test
    void summarisesAPassingVerificationAsTheContractSampleDoes() {
        assertThat(RestoreVerifier.summary(true, 2, 49411, List.of(), List.of(PAID)))
                .isEqualTo("2 tables, 49411 rows match the backup's snapshot; 1 smoke query passed");
        assertThat(RestoreVerifier.summary(true, 1, 1, List.of(), List.of()))
                .isEqualTo("1 table, 1 row match the backup's snapshot; no smoke queries");
    }

    @Test
    void namesTheMismatchingTablesAndFailedSmokeQueries() {
        String summary = RestoreVerifier.summary(true, 2, 49410, List.of(
                new TableMismatch("public.orders", 48211, 48210L), new TableMismatch("public.gone", 3, null)),
                List.of(PAID, new SmokeResult("select\n  1", "2", "1", false, null),
                        new SmokeResult("select nope", "1", null, false, "column \"nope\" does not exist")));

        assertThat(summary).isEqualTo("row counts differ in public.orders (expected 48211, found 48210), "
                + "public.gone (expected 3, table missing); 1 other table matches; 2 of 3 smoke queries failed: "
                + "'select 1' returned '1', expected '2', 'select nope' failed: column \"nope\" does not exist");
    }

    @Test
    void saysWhenTheBackupRecordedNoRowCounts() {
        assertThat(RestoreVerifier.summary(false, 0, 0, List.of(), List.of(new SmokeResult("select null", null,
                null, true, null)))).isEqualTo("row counts were not recorded in the backup's manifest, so none were "
                        + "compared; 1 smoke query passed");
    }

    @Test
    void boundsWhatItQuotes() {
        String longSql = "select '" + "x".repeat(500) + "'";
        String summary = RestoreVerifier.summary(true, 0, 0, List.of(), List.of(new SmokeResult(longSql, "a",
                "b", false, null)));

        assertThat(summary).hasSizeLessThan(300).contains("…");
    }

    @Test
    void reportsTheServersMessageOnOneLine() {
        assertThat(RestoreVerifier.message(new SQLException("ERROR: relation \"nope\" does not exist\n  Position: 15",
                "42P01"))).isEqualTo("relation \"nope\" does not exist");
    }
}
