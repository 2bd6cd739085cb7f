package io.backbus.scheduler.domain;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The catalog of stored backups, owned by retention-service: the source of truth for what can be restored (ADR
 * 0006), so that restores work as before after the catalog was rebuilt from the bucket. Every method throws
 * {@link CatalogUnavailableException} when the catalog cannot be asked or gives an answer that cannot be used.
 */
public interface BackupCatalog {

    /** The backup with this id, or empty when the catalog does not know it. */
    Optional<CatalogBackup> find(UUID backupId);

    /** The target's backups, newest first. */
    List<CatalogBackup> newestFirst(String target);

    /** The target's newest AVAILABLE backup, if any. */
    default Optional<CatalogBackup> newestAvailable(String target) {
        return newestFirst(target).stream().filter(CatalogBackup::available).findFirst();
    }
}
