package io.backbus.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.RestoreDestination;
import io.backbus.contracts.RestoreOptions;
import java.util.List;
import java.util.UUID;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

class NewRestoreTest {

    private static final BiPredicate<String, String> ANNOUNCED =
            (agent, target) -> agent.equals("db-host-2") && target.equals("orders-staging");
    private static final RestoreDestination STAGING =
            new RestoreDestination("db-host-2", "orders-staging", "orders_restored");

    @Test
    void aBackupIdOrATargetAndAnAnnouncedDestinationAreEnough() {
        assertThat(new NewRestore(UUID.randomUUID(), null, STAGING, null, null, null).problems(ANNOUNCED)).isEmpty();
        assertThat(new NewRestore(null, "orders", STAGING, true, false, 16).problems(ANNOUNCED)).isEmpty();
    }

    @Test
    void optionsDefaultToNoCleanCreateOneJobAndKeepTheDestination() {
        assertThat(new NewRestore(null, "orders", STAGING, null, null, null).options())
                .isEqualTo(new RestoreOptions(false, true, 1, false));
        assertThat(new NewRestore(null, "orders", STAGING, true, false, 4).options())
                .isEqualTo(new RestoreOptions(true, false, 4, false));
    }

    @Test
    void exactlyOneOfBackupIdAndTarget() {
        assertThat(new NewRestore(null, null, STAGING, null, null, null).problems(ANNOUNCED))
                .extracting(FieldProblem::field).containsExactly("backupId");
        assertThat(new NewRestore(UUID.randomUUID(), "orders", STAGING, null, null, null).problems(ANNOUNCED))
                .extracting(FieldProblem::field).containsExactly("backupId");
    }

    @Test
    void theDestinationIsCheckedFieldByField() {
        assertThat(new NewRestore(null, "orders", null, null, null, 0).problems(ANNOUNCED))
                .extracting(FieldProblem::field).containsExactlyInAnyOrder("destination", "jobs");
        assertThat(new NewRestore(null, "orders", new RestoreDestination(null, " ", ""), null, null, 17)
                .problems(ANNOUNCED)).extracting(FieldProblem::field).containsExactlyInAnyOrder(
                        "destination.agentId", "destination.target", "destination.database", "jobs");
        assertThat(new NewRestore(null, "orders", new RestoreDestination("db-host-2", "orders", "x"), null, null,
                null).problems(ANNOUNCED)).singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("destination.target");
                    assertThat(p.message()).contains("db-host-2", "'orders'");
                });
    }

    @Test
    void theDatabaseNameIsAPostgresqlNameOfAtMost63Bytes() {
        assertThat(database("d".repeat(63))).isEmpty();
        assertThat(database("ö".repeat(31) + "x")).isEmpty(); // 63 bytes in UTF-8
        assertThat(database("ö".repeat(32))).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("63 bytes"));
        assertThat(database("d".repeat(64))).extracting(FieldProblem::field).containsExactly("destination.database");
        assertThat(database("orders\0x")).singleElement().satisfies(p -> assertThat(p.message()).contains("NUL"));
    }

    private static List<FieldProblem> database(String name) {
        return new NewRestore(null, "orders", new RestoreDestination("db-host-2", "orders-staging", name), null,
                null, null).problems(ANNOUNCED);
    }
}
