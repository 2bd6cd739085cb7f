package io.backbus.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.RestoreDestination;
import io.backbus.contracts.RestoreFailed;
import io.backbus.contracts.RestorePurpose;
import io.backbus.contracts.RestoreStage;
import io.backbus.contracts.RestoreTestFailed;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RestoreAlertsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T09:30:00Z");
    private static final RestoreDestination DESTINATION = new RestoreDestination("db-host-2", "orders-staging",
            "orders_restored");

    private final AddOnlyAlerts repository = new AddOnlyAlerts();
    private final RestoreAlerts alerts = new RestoreAlerts(repository, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void raisesAHighPendingAlertForAFailedRestoreTestWithItsRto() {
        RestoreTestFailed failed = new RestoreTestFailed(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                "orders", RestoreStage.RTO, "restore test took 712.4 s, over the plan's RTO target of 600 s",
                712_400L, 600_000L, NOW.minusSeconds(30));

        Alert alert = alerts.raise(failed);

        assertThat(repository.added).containsExactly(alert);
        assertThat(alert.kind()).isEqualTo(AlertKind.RESTORE_TEST_FAILED);
        assertThat(alert.kind().wireName()).isEqualTo("restore.test-failed");
        assertThat(alert.severity()).isEqualTo(Severity.HIGH);
        assertThat(alert.status()).isEqualTo(AlertStatus.PENDING);
        assertThat(alert.nextAttemptAt()).isEqualTo(NOW);
        assertThat(alert.occurredAt()).isEqualTo(failed.failedAt());
        assertThat(alert.target()).isEqualTo("orders");
        assertThat(alert.runId()).isNull();
        assertThat(alert.stage()).isEqualTo("RTO");
        assertThat(alert.reason()).isEqualTo(failed.reason());
        assertThat(alert.dedupKey()).isEqualTo("restore.test-failed:orders");
        assertThat(alert.restore()).isEqualTo(new RestoreDetails(failed.restoreId(), failed.backupId(),
                failed.planId(), 712_400L, 600_000L, null, null));
        assertThat(alert.subject()).isEqualTo("restore " + failed.restoreId());
    }

    @Test
    void raisesAHighAlertForAFailedManualRestoreSayingWhetherTheDestinationWasTouched() {
        RestoreFailed failed = failed(RestorePurpose.MANUAL, RestoreStage.RESTORE, true);

        Alert alert = alerts.raise(failed).orElseThrow();

        assertThat(repository.added).containsExactly(alert);
        assertThat(alert.kind()).isEqualTo(AlertKind.RESTORE_FAILED);
        assertThat(alert.kind().wireName()).isEqualTo("restore.failed");
        assertThat(alert.severity()).isEqualTo(Severity.HIGH);
        assertThat(alert.stage()).isEqualTo("RESTORE");
        assertThat(alert.dedupKey()).isEqualTo("restore.failed:orders");
        assertThat(alert.restore()).isEqualTo(new RestoreDetails(failed.restoreId(), failed.backupId(), null, null,
                null, true, DESTINATION));
    }

    @Test
    void raisesNothingForAFailedRestoreTestWhichIsAlertedThroughRestoreTestFailed() {
        assertThat(alerts.raise(failed(RestorePurpose.TEST, RestoreStage.VERIFY, false))).isEmpty();
        assertThat(repository.added).isEmpty();
    }

    private static RestoreFailed failed(RestorePurpose purpose, RestoreStage stage, boolean touched) {
        return new RestoreFailed(UUID.randomUUID(), UUID.randomUUID(),
                purpose == RestorePurpose.TEST ? UUID.randomUUID() : null, purpose, "orders", DESTINATION, stage,
                "pg_restore: error: could not execute query; a partial restore is left", touched, NOW);
    }
}
