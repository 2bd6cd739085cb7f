package io.backbus.uploader.messaging;

import io.backbus.delivery.MalformedEventException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The rules on an incoming ArtifactReady or ArtifactStreaming that its JSON Schema cannot state (the schema already
 * checked fields, types and the location's scheme): its target must be safe as an object key segment and its
 * location a URI. Either failing is malformed (it goes to the dead-letter topic).
 */
final class PathAndUrlSafety {

    static void requireSafe(String target, String location) {
        requireKeySegment(target);
        requireUri(location);
    }

    /** The target becomes a path segment of the object key. */
    private static void requireKeySegment(String target) {
        if (target.contains("/") || target.contains("\\") || target.equals(".") || target.equals("..")
                || target.chars().anyMatch(Character::isISOControl)) {
            throw new MalformedEventException("target '" + target + "' cannot be an object key segment");
        }
    }

    private static void requireUri(String location) {
        try {
            new URI(location);
        } catch (URISyntaxException e) {
            // the message would quote the URL with its signature
            throw new MalformedEventException("location is not a valid URI");
        }
    }

    private PathAndUrlSafety() {
    }
}
