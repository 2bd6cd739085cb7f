package io.backbus.retention.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.ArtifactManifest;
import io.backbus.contracts.RestoreDestination;
import io.backbus.contracts.RestoreVerified;
import io.backbus.contracts.Stored;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RestoreVerificationsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T09:15:09.900Z");

    private final InMemoryBackups backups = new InMemoryBackups();
    private final BackupCatalog catalog = new BackupCatalog(backups, Clock.fixed(NOW, ZoneOffset.UTC));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RestoreVerifications verifications = new RestoreVerifications(backups, registry);

    @Test
    void recordsWhenTheBackupWasLastProvenAndItsRto() {
        UUID backupId = cataloged();
        RestoreVerified verified = verified(backupId, NOW, 8412);

        assertThat(verifications.record(verified)).isEqualTo(RestoreVerifications.Outcome.RECORDED);

        assertThat(catalog.find(backupId).orElseThrow().lastVerified())
                .isEqualTo(new Verification(NOW, 8412, verified.restoreId()));
        assertThat(count("recorded")).isEqualTo(1);
    }

    @Test
    void keepsTheLaterVerificationWhenAnOlderOneArrivesLate() {
        UUID backupId = cataloged();
        RestoreVerified later = verified(backupId, NOW, 9000);
        verifications.record(later);

        assertThat(verifications.record(verified(backupId, NOW.minusSeconds(3600), 7000)))
                .isEqualTo(RestoreVerifications.Outcome.SUPERSEDED);

        assertThat(catalog.find(backupId).orElseThrow().lastVerified())
                .isEqualTo(new Verification(NOW, 9000, later.restoreId()));
        assertThat(count("superseded")).isEqualTo(1);
    }

    @Test
    void recordsNothingButCountsAVerificationOfABackupNotInTheCatalog() {
        assertThat(verifications.record(verified(UUID.randomUUID(), NOW, 8412)))
                .isEqualTo(RestoreVerifications.Outcome.UNKNOWN_BACKUP);

        assertThat(backups.rows()).isEmpty();
        assertThat(count("unknown_backup")).isEqualTo(1);
    }

    @Test
    void aNewlyCatalogedBackupIsNotVerified() {
        assertThat(catalog.find(cataloged()).orElseThrow().lastVerified()).isNull();
    }

    private double count(String outcome) {
        return registry.get(RestoreVerifications.METRIC).tag("outcome", outcome).counter().count();
    }

    private UUID cataloged() {
        UUID runId = UUID.randomUUID();
        UUID backupId = UUID.randomUUID();
        catalog.record(new Stored(runId, backupId, "db-host-1", "orders", "backbus-backups", "k/" + runId,
                "k/" + runId + ".json", 10, "a".repeat(64), 20, "b".repeat(64),
                "tink-streaming-aead/AES256_GCM_HKDF_1MB", "1", NOW.minusSeconds(7200),
                new ArtifactManifest("pg_dump-custom", "zstd", "orders", "15.18", "pg_dump (PostgreSQL) 15.18",
                        NOW.minusSeconds(7209), NOW.minusSeconds(7205), null)));
        return backupId;
    }

    private static RestoreVerified verified(UUID backupId, Instant at, long rtoMillis) {
        return new RestoreVerified(UUID.randomUUID(), UUID.randomUUID(), backupId, "orders",
                new RestoreDestination("db-host-1", "orders", "backbus_rt_7c4e1b2a"), rtoMillis, 600_000L, 2, 49_411,
                at);
    }
}
