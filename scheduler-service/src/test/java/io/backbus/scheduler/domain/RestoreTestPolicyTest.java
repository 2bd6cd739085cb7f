package io.backbus.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.SmokeQuery;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

class RestoreTestPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-23T01:00:00Z");
    private static final BiPredicate<String, String> ANNOUNCED = (agent, target) ->
            agent.equals("db-host-1") && target.equals("orders")
                    || agent.equals("db-host-2") && target.equals("orders-staging");

    private static List<FieldProblem> problems(RestoreTestPolicy policy, SmokeQuery... queries) {
        return new NewPlan("orders-nightly", "orders", "db-host-1", "0 2 * * *", "Europe/Berlin", policy,
                queries.length == 0 ? null : Arrays.asList(queries)).problems(ANNOUNCED, NOW);
    }

    @Test
    void aCronOrACountIsEnoughAndDefaultsToThePlansOwnDestination() {
        assertThat(problems(new RestoreTestPolicy("0 4 * * 0", null, null, null, null, null))).isEmpty();
        assertThat(problems(new RestoreTestPolicy(null, 3, null, null, 600.0, 4),
                new SmokeQuery("select count(*) from orders", "42"), new SmokeQuery("select 1", null))).isEmpty();
        assertThat(problems(new RestoreTestPolicy(null, 1, "db-host-2", "orders-staging", null, null))).isEmpty();

        RestoreTestPolicy resolved = new RestoreTestPolicy(" 0 4 * * 0 ", null, null, null, null, null)
                .withDefaults("db-host-1", "orders");
        assertThat(resolved).isEqualTo(new RestoreTestPolicy("0 4 * * 0", null, "db-host-1", "orders", null, 2));
    }

    @Test
    void everyBadFieldIsNamedUnderRestoreTest() {
        assertThat(problems(new RestoreTestPolicy(null, null, null, null, null, null)))
                .extracting(FieldProblem::field).containsExactly("restoreTest");
        assertThat(problems(new RestoreTestPolicy("0 25 * * *", 0, " ", null, 0.0, 17)))
                .extracting(FieldProblem::field).containsExactlyInAnyOrder("restoreTest.cron",
                        "restoreTest.afterEveryBackups", "restoreTest.agentId", "restoreTest.rtoTargetSeconds",
                        "restoreTest.jobs");
        assertThat(problems(new RestoreTestPolicy("0 0 30 2 *", null, null, null, -1.0, null)))
                .extracting(FieldProblem::field)
                .containsExactlyInAnyOrder("restoreTest.cron", "restoreTest.rtoTargetSeconds");
    }

    @Test
    void anUnannouncedDestinationIsRefused() {
        assertThat(problems(new RestoreTestPolicy(null, 2, null, "orders-staging", null, null)))
                .singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("restoreTest.target");
                    assertThat(p.message()).contains("db-host-1", "orders-staging");
                });
        assertThat(problems(new RestoreTestPolicy(null, 2, "db-host-9", null, null, null)))
                .extracting(FieldProblem::field).containsExactly("restoreTest.agentId");
    }

    @Test
    void smokeQueriesNeedSqlOfAtMost4000Characters() {
        assertThat(problems(new RestoreTestPolicy(null, 2, null, null, null, null), new SmokeQuery(" ", "1"),
                new SmokeQuery("select 1", "1"), new SmokeQuery("x".repeat(4001), "1"), null))
                .extracting(FieldProblem::field)
                .containsExactly("smokeQueries[0].sql", "smokeQueries[2].sql", "smokeQueries[3]");
        assertThat(problems(null, new SmokeQuery("select '" + "x".repeat(3989) + "'", "1"))).isEmpty();
    }

    @Test
    void theRtoTargetIsRoundedUpToWholeMilliseconds() {
        assertThat(new RestoreTestPolicy(null, 1, null, null, 600.0, null).rtoTargetMillis()).isEqualTo(600_000L);
        assertThat(new RestoreTestPolicy(null, 1, null, null, 0.001, null).rtoTargetMillis()).isEqualTo(1L);
        assertThat(new RestoreTestPolicy(null, 1, null, null, 0.0001, null).rtoTargetMillis()).isEqualTo(1L);
        assertThat(new RestoreTestPolicy(null, 1, null, null, 712.4, null).rtoTargetMillis()).isEqualTo(712_400L);
        assertThat(new RestoreTestPolicy(null, 1, null, null, null, null).rtoTargetMillis()).isNull();
    }
}
