package io.backbus.uploader.domain;

import io.backbus.contracts.BackupFailed;
import io.backbus.contracts.Stored;
import java.util.UUID;

/** What handling one ArtifactReady came to; recorded (and published) in one transaction. */
public sealed interface UploadOutcome {

    /** The artifact and its manifest are in the bucket, verified. */
    record Succeeded(Stored stored) implements UploadOutcome {
    }

    /** A stage failed; nothing of the run is left in the bucket. */
    record Failed(BackupFailed failed) implements UploadOutcome {
    }

    /** The run was stored before (announced again with another event id): nothing to do. */
    record AlreadyStored(UUID runId) implements UploadOutcome {
    }
}
