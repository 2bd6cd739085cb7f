package io.backbus.scheduler.domain;

import java.util.UUID;

/** The catalog knows the backup but it is not AVAILABLE (expired, ...): it cannot be restored. */
public class BackupNotRestorableException extends RuntimeException {

    private final UUID backupId;
    private final String status;

    public BackupNotRestorableException(UUID backupId, String status) {
        super("backup " + backupId + " is " + status + " in the catalog, not AVAILABLE: it can no longer be restored");
        this.backupId = backupId;
        this.status = status;
    }

    public UUID backupId() {
        return backupId;
    }

    public String status() {
        return status;
    }
}
