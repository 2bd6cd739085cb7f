package io.backbus.agent.domain;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Follows a running dump. Called on the dumping thread, once per chunk: keep it cheap and never throw.
 */
public interface DumpObserver {

    /** Observes nothing. */
    DumpObserver NONE = new DumpObserver() {
    };

    /** {@code bytes} more were read from pg_dump's stdout (the uncompressed archive). */
    default void read(long bytes) {
    }

    /**
     * The staging file was just created (empty) and the dump starts writing it; {@code dumpStartedAt} is the instant
     * the outcome reports as {@link DumpOutcome.Dumped#startedAt()}. Called once, before any {@link #staged}.
     */
    default void stagingStarted(Path file, Instant dumpStartedAt) {
    }

    /** {@code bytes} more were written to the staging file (after compression). */
    default void staged(long bytes) {
    }
}
