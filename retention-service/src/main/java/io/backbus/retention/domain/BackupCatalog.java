package io.backbus.retention.domain;

import io.backbus.contracts.ArtifactManifest;
import io.backbus.contracts.Stored;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** The catalog of stored backups: records what the uploader stored and answers what is kept. */
@Service
public class BackupCatalog {

    private static final Logger log = LoggerFactory.getLogger(BackupCatalog.class);

    private final BackupRepository backups;
    private final Clock clock;

    public BackupCatalog(BackupRepository backups, Clock clock) {
        this.backups = backups;
        this.clock = clock;
    }

    /**
     * Catalogs a stored backup. A run is cataloged once: a second Stored for the same run (a re-published event
     * with a new event id, or a replay) is ignored, the first entry stays.
     *
     * @return true if a new entry was added
     */
    public boolean record(Stored stored) {
        ArtifactManifest manifest = stored.manifest();
        Backup backup = new Backup(stored.backupId(), stored.runId(), stored.target(), stored.agentId(),
                stored.bucket(), stored.objectKey(), stored.manifestKey(), stored.plaintextSize(),
                stored.plaintextSha256(), stored.ciphertextSize(), stored.ciphertextSha256(), stored.encryption(),
                stored.keyId(), StorageClass.STANDARD, manifest.format(), manifest.compression(),
                manifest.database(), manifest.serverVersion(), manifest.dumpStartedAt(), manifest.dumpFinishedAt(),
                stored.storedAt(), BackupStatus.AVAILABLE, Instant.now(clock), null);
        if (backups.addIfAbsent(backup)) {
            log.info("Cataloged backup {} of target {} (run {}, {} bytes stored in {}/{})", backup.backupId(),
                    backup.target(), backup.runId(), backup.ciphertextSize(), backup.bucket(), backup.objectKey());
            return true;
        }
        String existing = backups.findByRunId(backup.runId()).map(b -> b.backupId().toString())
                .or(() -> backups.findById(backup.backupId()).map(b -> b.backupId() + " (run " + b.runId() + ")"))
                .orElse("?");
        log.warn("Ignoring Stored for run {} (backup {}): already cataloged as backup {}", backup.runId(),
                backup.backupId(), existing);
        return false;
    }

    /** Whether a backup of this run, or with this backup id, is already cataloged. */
    public boolean isCataloged(UUID runId, UUID backupId) {
        return backups.findByRunId(runId).isPresent() || backups.findById(backupId).isPresent();
    }

    public Optional<Backup> find(UUID backupId) {
        return backups.findById(backupId);
    }

    /** Backups of {@code target}, or of all targets when it is null, newest first. */
    public List<Backup> list(String target, int limit) {
        return backups.listNewestFirst(target, limit);
    }
}
