package io.backbus.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.BackupFailed;
import io.backbus.contracts.FailureStage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FailureAlertsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T02:05:00Z");

    private final List<Alert> added = new ArrayList<>();
    private final FailureAlerts alerts = new FailureAlerts(new AddOnly(added), Clock.fixed(NOW, ZoneOffset.UTC));

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
    }

    @Test
    void aRunThatStalledIsStillAFailedBackupOfHighSeverity() {
        BackupFailed stalled = new BackupFailed(UUID.randomUUID(), null, "orders", FailureStage.SCHEDULE,
                "stalled: no ArtifactReady within 2h", true, NOW);

        assertThat(alerts.raise(stalled).severity()).isEqualTo(Severity.HIGH);
    }

    private record AddOnly(List<Alert> added) implements AlertRepository {
        @Override
        public void add(Alert alert) {
            added.add(alert);
        }

        @Override
        public List<Alert> claimDue(Instant now, Instant leaseUntil, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void markDelivered(UUID id, int attempts, Instant deliveredAt) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void markRetry(UUID id, int attempts, Instant nextAttemptAt, String error) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void markGaveUp(UUID id, int attempts, String error) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Alert> listNewestFirst(AlertStatus status, int limit) {
            return List.copyOf(added);
        }

        @Override
        public long countPending() {
            return added.size();
        }
    }
}
