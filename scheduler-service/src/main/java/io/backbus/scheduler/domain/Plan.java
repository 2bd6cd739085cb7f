package io.backbus.scheduler.domain;

import io.backbus.contracts.SmokeQuery;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A backup plan: back up {@code target} on agent {@code agentId} at the slots of {@code cron} in {@code timeZone},
 * and restore-test the backups as {@code restoreTest} says.
 *
 * @param cron                    the cron expression as the operator wrote it (5 or 6 fields)
 * @param nextFireAt              the first slot not fired yet; null when the expression never fires again
 * @param restoreTest             when and where to restore-test (defaults resolved), or null for no restore tests
 * @param smokeQueries            queries a restore test runs against the restored database (never null)
 * @param nextRestoreTestAt       the first cron slot of the restore tests not fired yet; null without a cron
 * @param backupsSinceRestoreTest backups stored since the last "after every N backups" restore test
 */
public record Plan(UUID id, String name, String target, String agentId, String cron, String timeZone,
        boolean enabled, Instant nextFireAt, Instant createdAt, RestoreTestPolicy restoreTest,
        List<SmokeQuery> smokeQueries, Instant nextRestoreTestAt, int backupsSinceRestoreTest) {

    public Plan {
        smokeQueries = smokeQueries == null ? List.of() : List.copyOf(smokeQueries);
    }

    /** A plan without restore tests. */
    public Plan(UUID id, String name, String target, String agentId, String cron, String timeZone, boolean enabled,
            Instant nextFireAt, Instant createdAt) {
        this(id, name, target, agentId, cron, timeZone, enabled, nextFireAt, createdAt, null, List.of(), null, 0);
    }

    public CronSchedule schedule() {
        return CronSchedule.of(cron, timeZone);
    }
}
