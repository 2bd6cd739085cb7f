package io.backbus.agent.domain;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/** The staging directory on this host: dumps while written and once complete, and archives pulled for restores. */
public interface Staging extends StagingWriter {

    Path dir();

    /** Where the dump of {@code runId} is written. */
    Path partialFile(UUID runId);

    /** Renames the complete dump of {@code runId} to its final name, which it returns. */
    Path promote(UUID runId) throws IOException;

    /** Deletes a staged file; whether it existed. */
    boolean delete(Path file) throws IOException;

    /** Deletes partial files older than {@code before}; how many. */
    int deleteStalePartials(Instant before);

    /** Deletes every partial file, whatever its age: at start, when no dump of this process can be running. */
    default int deletePartialLeftovers() {
        return deleteStalePartials(Instant.MAX);
    }

    /** Where the archive of restore {@code restoreId} is pulled to. */
    Path restoreFile(UUID restoreId);

    /** Deletes restore archives an earlier run left; how many. */
    int deleteRestoreLeftovers();
}
