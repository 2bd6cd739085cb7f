package io.backbus.agent.domain;

import java.nio.file.Path;

/** Dumps a target's database into a staging file (pg_dump in {@code postgres}). */
public interface TargetDumper {

    /** How the dumps are compressed: what the manifest states. */
    DumpCompression compression();

    /**
     * Dumps {@code target} into {@code partialFile}, telling {@code observer} how many bytes were produced and
     * staged. On failure the partial file is deleted and the outcome carries a scrubbed reason; it does not throw
     * for dump or staging trouble.
     */
    DumpOutcome dump(DumpTarget target, Path partialFile, DumpObserver observer);

    /** Dumps without observing. */
    default DumpOutcome dump(DumpTarget target, Path partialFile) {
        return dump(target, partialFile, DumpObserver.NONE);
    }
}
