package io.backbus.agent.domain;

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

    /** {@code bytes} more were written to the staging file (after compression). */
    default void staged(long bytes) {
    }
}
