package io.backbus.scheduler.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A backup plan: back up {@code target} on agent {@code agentId} at the slots of {@code cron} in {@code timeZone}.
 *
 * @param cron       the cron expression as the operator wrote it (5 or 6 fields)
 * @param nextFireAt the first slot not fired yet; null when the expression never fires again
 */
public record Plan(UUID id, String name, String target, String agentId, String cron, String timeZone,
        boolean enabled, Instant nextFireAt, Instant createdAt) {

    public CronSchedule schedule() {
        return CronSchedule.of(cron, timeZone);
    }
}
