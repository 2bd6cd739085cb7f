package io.backbus.retention.domain;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where the catalog is kept. */
public interface BackupRepository {

    /**
     * Adds the backup unless one with the same backup id or run id is already cataloged.
     *
     * @return true if it was added
     */
    boolean addIfAbsent(Backup backup);

    Optional<Backup> findById(UUID backupId);

    Optional<Backup> findByRunId(UUID runId);

    /** Backups of a target (all targets when null), newest stored first. */
    List<Backup> listNewestFirst(String target, int limit);
}
