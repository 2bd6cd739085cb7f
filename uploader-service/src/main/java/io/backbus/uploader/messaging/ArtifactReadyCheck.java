package io.backbus.uploader.messaging;

import static io.backbus.delivery.IncomingEvent.require;

import io.backbus.contracts.ArtifactReady;
import io.backbus.delivery.MalformedEventException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Rejects, as malformed, an ArtifactReady the uploader cannot act on (it goes to the dead-letter topic). */
final class ArtifactReadyCheck {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    static ArtifactReady requireUsable(ArtifactReady ready) {
        require(ready.runId(), "runId");
        String target = require(ready.target(), "target");
        String location = require(ready.location(), "location");
        String sha256 = require(ready.sha256(), "sha256");
        require(ready.manifest(), "manifest");
        require(ready.manifest().dumpStartedAt(), "manifest.dumpStartedAt");
        if (!SHA256.matcher(sha256).matches()) {
            throw new MalformedEventException("sha256 is not 64 hex digits");
        }
        if (ready.sizeBytes() < 0) {
            throw new MalformedEventException("sizeBytes is negative");
        }
        requireKeySegment(target);
        String scheme = schemeOf(location);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
            throw new MalformedEventException("location must be http(s):// or file://");
        }
        return new ArtifactReady(ready.runId(), ready.agentId(), target, location, sha256.toLowerCase(Locale.ROOT),
                ready.sizeBytes(), ready.expiresAt(), ready.manifest());
    }

    /** The target becomes a path segment of the object key. */
    static void requireKeySegment(String target) {
        if (target.contains("/") || target.contains("\\") || target.equals(".") || target.equals("..")
                || target.chars().anyMatch(Character::isISOControl)) {
            throw new MalformedEventException("target '" + target + "' cannot be an object key segment");
        }
    }

    /** The location's scheme in lower case ("" if none); malformed if it is no URI. */
    static String schemeOf(String location) {
        try {
            URI uri = new URI(location);
            return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            // the message would quote the URL with its signature
            throw new MalformedEventException("location is not a valid URI");
        }
    }

    private ArtifactReadyCheck() {
    }
}
