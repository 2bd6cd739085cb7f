package io.backbus.scheduler.web;

import io.backbus.contracts.SmokeQuery;
import io.backbus.scheduler.domain.Plan;
import io.backbus.scheduler.domain.RestoreTestPolicy;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A plan as the REST API shows it; {@code restoreTest} is null for a plan without restore tests, and shows the
 * effective destination and jobs (defaults filled in).
 */
record PlanView(UUID id, String name, String target, String agent, String cron, String timeZone, boolean enabled,
        Instant nextFireAt, Instant createdAt, RestoreTestView restoreTest, List<SmokeQuery> smokeQueries,
        Instant nextRestoreTestAt, int backupsSinceRestoreTest) {

    /** The restore-test policy of a plan. */
    record RestoreTestView(String cron, Integer afterEveryBackups, String agentId, String target,
            Double rtoTargetSeconds, int jobs) {

        static RestoreTestView of(RestoreTestPolicy policy) {
            return policy == null ? null : new RestoreTestView(policy.cron(), policy.afterEveryBackups(),
                    policy.agentId(), policy.target(), policy.rtoTargetSeconds(), policy.effectiveJobs());
        }
    }

    static PlanView of(Plan plan) {
        return new PlanView(plan.id(), plan.name(), plan.target(), plan.agentId(), plan.cron(), plan.timeZone(),
                plan.enabled(), plan.nextFireAt(), plan.createdAt(), RestoreTestView.of(plan.restoreTest()),
                plan.smokeQueries(), plan.nextRestoreTestAt(), plan.backupsSinceRestoreTest());
    }
}
