package io.backbus.uploader.domain;

import java.io.InputStream;
import java.net.URI;

/** Where staged artifacts are pulled from: the agent's signed URL (or a shared volume). */
public interface ArtifactSource {

    /**
     * Opens the artifact for reading; the caller closes the stream. A body that sends nothing for too long fails
     * with {@link StalledStreamException}.
     */
    InputStream open(URI location) throws ArtifactSourceException;

    /** The location as it may be logged or reported: without user info, query string or fragment. */
    static String redact(URI location) {
        if (location.getScheme() == null || location.getRawAuthority() == null && location.getPath() == null) {
            return "<location>";
        }
        String host = location.getHost() == null ? "" : location.getHost();
        String port = location.getPort() < 0 ? "" : ":" + location.getPort();
        String path = location.getRawPath() == null ? "" : location.getRawPath();
        return location.getScheme() + "://" + host + port + path;
    }
}
