package io.backbus.retention.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.ArtifactManifest;
import io.backbus.contracts.Stored;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BackupCatalogTest {

    private static final Instant NOW = Instant.parse("2026-11-23T02:00:09Z");

    private final InMemoryBackups backups = new InMemoryBackups();
    private final BackupCatalog catalog = new BackupCatalog(backups, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void catalogsAStoredBackupAsAvailableInStandardStorage() {
        Stored stored = stored(UUID.randomUUID(), UUID.randomUUID());

        assertThat(catalog.record(stored)).isTrue();

        Backup backup = catalog.find(stored.backupId()).orElseThrow();
        assertThat(backup.runId()).isEqualTo(stored.runId());
        assertThat(backup.status()).isEqualTo(BackupStatus.AVAILABLE);
        assertThat(backup.storageClass()).isEqualTo(StorageClass.STANDARD);
        assertThat(backup.databaseName()).isEqualTo("orders");
        assertThat(backup.serverVersion()).isEqualTo("15.18");
        assertThat(backup.catalogedAt()).isEqualTo(NOW);
    }

    @Test
    void keepsTheFirstEntryOfARun() {
        UUID runId = UUID.randomUUID();
        Stored first = stored(runId, UUID.randomUUID());
        Stored again = stored(runId, UUID.randomUUID());

        catalog.record(first);

        assertThat(catalog.record(again)).isFalse();
        assertThat(catalog.list("orders", 10)).extracting(Backup::backupId).containsExactly(first.backupId());
    }

    private static Stored stored(UUID runId, UUID backupId) {
        return new Stored(runId, backupId, "db-host-1", "orders", "backbus-backups", "k/" + runId, "k/" + runId + ".json",
                10, "a".repeat(64), 20, "b".repeat(64), "tink-streaming-aead/AES256_GCM_HKDF_1MB", "1", NOW,
                new ArtifactManifest("pg_dump-custom", "zstd", "orders", "15.18", "pg_dump (PostgreSQL) 15.18",
                        NOW.minusSeconds(9), NOW.minusSeconds(5), null));
    }
}
