package io.backbus.agent.domain;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongConsumer;

/** Restores a staged archive into a destination database (pg_restore in {@code postgres}). */
public interface ArchiveRestorer {

    /** The artifact format it restores ({@link TargetDumper#format()}, the manifest's {@code format}). */
    String format();

    /** How many entries a restore of {@code archive} processes, or -1 if unknown. */
    long entries(Path archive);

    /**
     * Restores {@code archive} into {@code database} on {@code target}'s server.
     *
     * @param credentials what the target's password source resolved to
     * @param jobs        parallel jobs
     * @param clean       whether to drop the objects first
     * @param entryDone   told of each archive entry restored
     * @return empty when the restore succeeded, else why it failed (scrubbed of secrets)
     */
    Optional<String> restore(DumpTarget target, DatabaseName database, PasswordSource.ChildCredentials credentials,
            int jobs, boolean clean, Path archive, LongConsumer entryDone);
}
