package io.backbus.uploader.domain;

import io.backbus.contracts.RestoreArtifactReady;
import io.backbus.contracts.RestoreFailed;

/** The events a restore's outcome causes; recorded in the transaction that records the outcome. */
public interface RestoreEvents {

    /** The backup passed its check pass and is served at the event's signed URL. */
    void artifactReady(RestoreArtifactReady ready);

    /** The backup cannot be restored. */
    void failed(RestoreFailed failed);
}
