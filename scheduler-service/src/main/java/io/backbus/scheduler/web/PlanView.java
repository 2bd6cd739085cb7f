package io.backbus.scheduler.web;

import io.backbus.scheduler.domain.Plan;
import java.time.Instant;
import java.util.UUID;

/** A plan as the REST API shows it. */
record PlanView(UUID id, String name, String target, String agent, String cron, String timeZone, boolean enabled,
        Instant nextFireAt, Instant createdAt) {

    static PlanView of(Plan plan) {
        return new PlanView(plan.id(), plan.name(), plan.target(), plan.agentId(), plan.cron(), plan.timeZone(),
                plan.enabled(), plan.nextFireAt(), plan.createdAt());
    }
}
