package io.backbus.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.FailureStage;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunTest {

    private static final Instant T0 = Instant.parse("2026-11-23T02:00:00Z");
    private static final Plan PLAN = new Plan(UUID.randomUUID(), "orders-nightly", "orders", "db-host-1",
            "0 2 * * *", "UTC", true, T0, T0.minusSeconds(3600));

    @Test
    void aNewRunIsTheFirstAttemptOfItsSlot() {
        Run run = Run.requested(PLAN, Trigger.SCHEDULE, T0, T0.plusMillis(50));

        assertThat(run.state()).isEqualTo(RunState.REQUESTED);
        assertThat(run.attempt()).isEqualTo(1);
        assertThat(run.planId()).isEqualTo(PLAN.id());
        assertThat(run.target()).isEqualTo("orders");
        assertThat(run.agentId()).isEqualTo("db-host-1");
        assertThat(run.scheduledFor()).isEqualTo(T0);
        assertThat(run.requestedAt()).isEqualTo(run.updatedAt()).isEqualTo(T0.plusMillis(50));
    }

    @Test
    void dumpedThenStoredRecordsSizesKeyAndTimes() {
        UUID backupId = UUID.randomUUID();
        Run run = Run.requested(PLAN, Trigger.MANUAL, T0, T0)
                .dumped(1_048_576, T0.plusSeconds(5), T0.plusSeconds(6))
                .stored("targets/orders/x/dump.pgc.enc", backupId, 1_049_110, T0.plusSeconds(8), T0.plusSeconds(9));

        assertThat(run.state()).isEqualTo(RunState.STORED);
        assertThat(run.dumpedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(run.storedAt()).isEqualTo(T0.plusSeconds(8));
        assertThat(run.objectKey()).isEqualTo("targets/orders/x/dump.pgc.enc");
        assertThat(run.backupId()).isEqualTo(backupId);
        assertThat(run.sizeBytes()).isEqualTo(1_049_110L);
        assertThat(run.updatedAt()).isEqualTo(T0.plusSeconds(9));
    }

    @Test
    void failedRecordsStageAndReason() {
        Run run = Run.requested(PLAN, Trigger.SCHEDULE, T0, T0).failed(FailureStage.DUMP, "pg_dump: error", T0, T0);

        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.failureStage()).isEqualTo(FailureStage.DUMP);
        assertThat(run.failureReason()).isEqualTo("pg_dump: error");
        assertThat(run.canMoveTo(RunState.DUMPED)).isFalse();
    }
}
