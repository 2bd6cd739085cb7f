package io.backbus.repository.layout;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * The bucket's layout: every key a service writes is made here, and every key it looks for is recognised here.
 * Keys of existing backups never change (an artifact's key is its encryption's associated data, and buckets hold
 * years of them); a new kind of artifact gets a new {@link BackupKeys} type and a new branch under
 * {@code targets/<target>/} (see this module's README for the planned ones).
 */
public final class RepositoryLayout {

    /** Everything of every target lives under this prefix. */
    public static final String TARGETS = "targets/";
    /** Name of the manifest object of every backup. */
    public static final String MANIFEST = "manifest.json";

    static final String DUMP_ARTIFACT = "artifact.enc";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private RepositoryLayout() {
    }

    /** The keys of a logical dump of {@code target} started at {@code dumpStartedAt} by run {@code runId}. */
    public static DumpKeys dump(String target, Instant dumpStartedAt, UUID runId) {
        String prefix = TARGETS + target + "/" + DAY.format(dumpStartedAt) + "/" + runId + "/";
        return new DumpKeys(prefix, prefix + DUMP_ARTIFACT, prefix + MANIFEST);
    }

    /**
     * Whether {@code key} names a backup's manifest: any object under {@link #TARGETS} named {@link #MANIFEST}.
     * Deliberately loose (no date or id checked): a manifest at a key this version does not lay out is still found,
     * and then refused for what it says, not hidden.
     */
    public static boolean isManifestKey(String key) {
        return key.startsWith(TARGETS) && key.endsWith("/" + MANIFEST);
    }
}
