package io.backbus.uploader.domain;

import io.backbus.contracts.RestoreArtifactReady;
import io.backbus.contracts.RestoreFailed;
import io.backbus.contracts.RestoreRequested;
import java.time.Instant;

/** What handling one RestoreRequested (or one check of its pending thaw) came to; recorded in one transaction. */
public sealed interface RestoreOutcome {

    /** The backup passed its check pass and is served at the event's signed URL. */
    record Ready(RestoreArtifactReady event, RestoreArtifact artifact) implements RestoreOutcome {
    }

    /** The backup cannot be restored; nothing was written to the destination. */
    record Failed(RestoreFailed event) implements RestoreOutcome {
    }

    /** The object is in a cold tier and being thawed; check again at {@code nextCheckAt}. */
    record Thawing(RestoreRequested request, Instant nextCheckAt, Instant deadline) implements RestoreOutcome {
    }
}
