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

    /**
     * Sets the backup's latest verification, unless it holds one verified later (an older test's result arriving
     * late does not overwrite a newer one; the same one again is written again, unchanged).
     *
     * @return true if it was written; false if no such backup is cataloged or it holds a later verification
     */
    boolean recordVerification(UUID backupId, Verification verification);

    Optional<Backup> findByRunId(UUID runId);

    /** Backups of a target (all targets when null), newest stored first. */
    List<Backup> listNewestFirst(String target, int limit);
}
