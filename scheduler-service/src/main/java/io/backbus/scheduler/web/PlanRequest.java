package io.backbus.scheduler.web;

import io.backbus.contracts.SmokeQuery;
import io.backbus.scheduler.domain.NewPlan;
import io.backbus.scheduler.domain.RestoreTestPolicy;
import java.util.List;

/** Body of {@code POST /plans}; {@code restoreTest} and {@code smokeQueries} are optional. */
record PlanRequest(String name, String target, String agent, String cron, String timeZone,
        RestoreTestRequest restoreTest, List<SmokeQuery> smokeQueries) {

    /** {@code restoreTest} of {@code POST /plans}: destination fields default to the plan's own. */
    record RestoreTestRequest(String cron, Integer afterEveryBackups, String agentId, String target,
            Double rtoTargetSeconds, Integer jobs) {

        RestoreTestPolicy toPolicy() {
            return new RestoreTestPolicy(cron, afterEveryBackups, agentId, target, rtoTargetSeconds, jobs);
        }
    }

    NewPlan toNewPlan() {
        return new NewPlan(name, target, agent, cron, timeZone, restoreTest == null ? null : restoreTest.toPolicy(),
                smokeQueries);
    }
}
