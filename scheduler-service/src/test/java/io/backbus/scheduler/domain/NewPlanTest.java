package io.backbus.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

class NewPlanTest {

    private static final Instant NOW = Instant.parse("2026-11-23T01:00:00Z");
    private static final BiPredicate<String, String> ORDERS_ON_DB_HOST_1 =
            (agent, target) -> agent.equals("db-host-1") && target.equals("orders");

    @Test
    void aCompletePlanForAnAnnouncedTargetHasNoProblems() {
        NewPlan plan = new NewPlan("orders-nightly", "orders", "db-host-1", "0 2 * * *", "Europe/Berlin");

        assertThat(plan.problems(ORDERS_ON_DB_HOST_1, NOW)).isEmpty();
    }

    @Test
    void everyMissingFieldIsNamed() {
        NewPlan plan = new NewPlan(null, " ", "", null, null);

        assertThat(plan.problems(ORDERS_ON_DB_HOST_1, NOW)).extracting(FieldProblem::field)
                .containsExactlyInAnyOrder("name", "target", "agent", "cron", "timeZone");
    }

    @Test
    void aTargetTheAgentNeverAnnouncedIsRefused() {
        NewPlan plan = new NewPlan("billing-nightly", "billing", "db-host-1", "0 2 * * *", "UTC");

        assertThat(plan.problems(ORDERS_ON_DB_HOST_1, NOW)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("target");
            assertThat(p.message()).contains("db-host-1", "billing");
        });
    }

    @Test
    void badCronAndZoneAreBothReported() {
        NewPlan plan = new NewPlan("orders-nightly", "orders", "db-host-1", "every night", "Europe/Atlantis");

        assertThat(plan.problems(ORDERS_ON_DB_HOST_1, NOW)).extracting(FieldProblem::field)
                .containsExactlyInAnyOrder("cron", "timeZone");
    }

    @Test
    void aCronThatNeverFiresIsRefused() {
        NewPlan plan = new NewPlan("orders-feb30", "orders", "db-host-1", "0 0 30 2 *", "UTC");

        assertThat(plan.problems(ORDERS_ON_DB_HOST_1, NOW)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("cron");
            assertThat(p.message()).contains("never fires");
        });
    }

    @Test
    void aPlanWithoutRestoreTestsHasNoSmokeQueries() {
        NewPlan plan = new NewPlan("orders-nightly", "orders", "db-host-1", "0 2 * * *", "UTC");

        assertThat(plan.restoreTest()).isNull();
        assertThat(plan.smokeQueriesOrNone()).isEmpty();
    }

    @Test
    void namesLongerThanEventsAllowAreRefused() {
        NewPlan plan = new NewPlan("n".repeat(201), "orders", "db-host-1", "0 2 * * *", "UTC");

        assertThat(plan.problems(ORDERS_ON_DB_HOST_1, NOW)).extracting(FieldProblem::field).containsExactly("name");
    }
}
