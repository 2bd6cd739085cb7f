package io.backbus.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.RestoreDestination;
import io.backbus.contracts.RestoreOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RestoreTrackerTest {

    @Test
    void theRtoReasonReadsInSeconds() {
        assertThat(RestoreTracker.rtoReason(712_400, 600_000))
                .isEqualTo("restore test took 712.4 s, over the plan's RTO target of 600 s");
        assertThat(RestoreTracker.rtoReason(37, 1)).isEqualTo("restore test took 0.037 s, over the plan's RTO target"
                + " of 0.001 s");
    }

    @Test
    void aTestRestoresIntoAScratchDatabaseNamedAfterItsIdAndIsDroppedAfterwards() {
        Instant now = Instant.parse("2026-11-23T09:00:00Z");
        Plan plan = new Plan(UUID.randomUUID(), "orders-nightly", "orders", "db-host-1", "0 2 * * *", "UTC", true,
                now, now, new RestoreTestPolicy(null, 2, "db-host-1", "orders", 600.0, 2), null, null, 0);

        Restore test = Restore.test(plan, RestoreTrigger.AFTER_BACKUPS, null, null, now);

        assertThat(test.destination().database()).isEqualTo("backbus_rt_" + test.id().toString().substring(0, 8))
                .matches("backbus_rt_[0-9a-f]{8}");
        assertThat(test.options().dropAfterVerify()).isTrue();
        assertThat(test.options().clean()).isFalse();
        assertThat(test.options().createDatabase()).isTrue();
        assertThat(test.options().jobs()).isEqualTo(2);
        assertThat(test.state()).isEqualTo(RestoreState.PENDING);
        assertThat(test.rtoTargetMillis()).isEqualTo(600_000L);
    }

    @Test
    void aStalledRestoreSaysWhereItStalled() {
        Instant now = Instant.parse("2026-11-23T09:00:00Z");
        BackupRef backup = new BackupRef(UUID.randomUUID(), UUID.randomUUID(), "backbus-backups", "k", "m", 1,
                "0".repeat(64), 2);
        Restore restore = Restore.manual(backup, "orders",
                new RestoreDestination("db-host-2", "orders-staging", "orders_restored"),
                new RestoreOptions(false, true, 1, false), now);

        assertThat(StalledRestoreDetector.reason(restore, Duration.ofHours(6)))
                .startsWith("stalled in REQUESTED for more than 6h");
        assertThat(StalledRestoreDetector.reason(restore.ready(now), Duration.ofMinutes(90)))
                .startsWith("stalled in READY for more than 90m").contains("'orders_restored'", "partial restore");
    }
}
