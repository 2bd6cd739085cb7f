package io.backbus.retention.rebuild;

import java.util.List;

/**
 * What a catalog rebuild did.
 *
 * @param scanned          manifests found in the bucket
 * @param added            backups added to the catalog
 * @param alreadyCataloged valid manifests whose run or backup id was already cataloged (left as they were)
 * @param invalid          manifests that could not be cataloged, and why
 */
public record RebuildResult(int scanned, int added, int alreadyCataloged, List<Invalid> invalid) {

    /** A manifest that was skipped: its key and the reason. */
    public record Invalid(String key, String reason) {
    }
}
