package io.backbus.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.BackupFailed;
import io.backbus.contracts.FailureStage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FailureAlertsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T02:05:00Z");

    private final AddOnlyAlerts repository = new AddOnlyAlerts();
    private final List<Alert> added = repository.added;
    private final FailureAlerts alerts = new FailureAlerts(repository, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void raisesAHighPendingAlertDueNow() {
        BackupFailed failed = new BackupFailed(UUID.randomUUID(), "db-host-1", "orders", FailureStage.DUMP,
                "pg_dump: error: connection refused", false, NOW.minusSeconds(60));

        Alert alert = alerts.raise(failed);

        assertThat(added).containsExactly(alert);
        assertThat(alert.kind()).isEqualTo(AlertKind.BACKUP_FAILED);
        assertThat(alert.severity()).isEqualTo(Severity.HIGH);
        assertThat(alert.status()).isEqualTo(AlertStatus.PENDING);
        assertThat(alert.attempts()).isZero();
        assertThat(alert.nextAttemptAt()).isEqualTo(NOW);
        assertThat(alert.occurredAt()).isEqualTo(failed.failedAt());
        assertThat(alert.stage()).isEqualTo("DUMP");
        assertThat(alert.dedupKey()).isEqualTo("backup.failed:orders");
        assertThat(alert.restore()).isNull();
        assertThat(alert.subject()).isEqualTo("run " + failed.runId());
    }

    @Test
    void aRunThatStalledIsStillAFailedBackupOfHighSeverity() {
        BackupFailed stalled = new BackupFailed(UUID.randomUUID(), null, "orders", FailureStage.SCHEDULE,
                "stalled: no ArtifactReady within 2h", true, NOW);

        assertThat(alerts.raise(stalled).severity()).isEqualTo(Severity.HIGH);
    }
}
