package io.backbus.agent.domain;

import java.nio.file.Path;

/**
 * Dumps a target's database into a staging file (pg_dump in {@code postgres}): one backup kind's producing side.
 * The agent picks the dumper whose {@link #kind()} is the target's; {@link ArchiveRestorer} of the same
 * {@link #format()} restores what it produced.
 */
public interface TargetDumper {

    /** The target kind it dumps ({@link DumpTarget#kind()}). */
    String kind();

    /** The artifact format it produces, as the manifest states it (e.g. {@code pg_dump-custom}). */
    String format();

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
