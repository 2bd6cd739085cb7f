package io.backbus.uploader.domain;

import io.backbus.contracts.BackupProgress;
import io.backbus.contracts.RestoreProgress;

/** Progress telemetry: fire-and-forget, outside any transaction (a lost event changes only a progress display). */
public interface ProgressEvents {

    void backup(BackupProgress progress);

    void restore(RestoreProgress progress);
}
