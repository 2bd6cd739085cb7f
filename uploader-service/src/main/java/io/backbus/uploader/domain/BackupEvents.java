package io.backbus.uploader.domain;

import io.backbus.contracts.BackupFailed;
import io.backbus.contracts.Stored;

/** The events an upload's outcome causes; recorded in the transaction that records the outcome. */
public interface BackupEvents {

    /** The artifact and its manifest are in the bucket, verified. */
    void stored(Stored stored);

    /** A stage of the upload failed; nothing of the run is left in the bucket. */
    void failed(BackupFailed failed);
}
