package io.backbus.uploader.messaging;

import static io.backbus.delivery.IncomingEvent.require;

import io.backbus.contracts.ArtifactStreaming;
import io.backbus.delivery.MalformedEventException;

/** Rejects, as malformed, an ArtifactStreaming the uploader cannot act on (it goes to the dead-letter topic). */
final class ArtifactStreamingCheck {

    static ArtifactStreaming requireUsable(ArtifactStreaming hint) {
        require(hint.runId(), "runId");
        String target = require(hint.target(), "target");
        String location = require(hint.location(), "location");
        require(hint.dumpStartedAt(), "dumpStartedAt");
        ArtifactReadyCheck.requireKeySegment(target);
        String scheme = ArtifactReadyCheck.schemeOf(location);
        // a live artifact is served by the agent while it dumps; a shared file would not say when it is complete
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new MalformedEventException("location must be http(s)://");
        }
        return hint;
    }

    private ArtifactStreamingCheck() {
    }
}
