package io.backbus.scheduler.web;

import io.backbus.scheduler.domain.NewPlan;

/** Body of {@code POST /plans}. */
record PlanRequest(String name, String target, String agent, String cron, String timeZone) {

    NewPlan toNewPlan() {
        return new NewPlan(name, target, agent, cron, timeZone);
    }
}
