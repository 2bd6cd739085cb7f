package io.backbus.uploader.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What HeadObject says about a stored backup.
 *
 * @param size         content length in bytes
 * @param storageClass the storage class, or null for STANDARD (S3 omits the header then)
 * @param restore      the raw {@code x-amz-restore} header, or null when no thaw was ever requested
 */
public record ObjectHead(long size, String storageClass, String restore) {

    private static final Pattern ONGOING = Pattern.compile("ongoing-request\\s*=\\s*\"?(true|false)\"?",
            Pattern.CASE_INSENSITIVE);

    /** Where a cold-tier object stands with its thaw. */
    public enum ThawState {
        /** No RestoreObject is under way nor done. */
        NONE,
        /** RestoreObject was accepted; the temporary copy is not readable yet. */
        ONGOING,
        /** {@code ongoing-request="false"}: the temporary copy is readable. */
        DONE
    }

    /** GLACIER and DEEP_ARCHIVE objects can only be read once thawed (GLACIER_IR reads at once). */
    public boolean coldTier() {
        String c = storageClass == null ? "" : storageClass.toUpperCase(Locale.ROOT);
        return c.equals("GLACIER") || c.equals("DEEP_ARCHIVE");
    }

    public ThawState thawState() {
        if (restore == null || restore.isBlank()) {
            return ThawState.NONE;
        }
        var m = ONGOING.matcher(restore);
        if (!m.find()) {
            return ThawState.NONE;
        }
        return m.group(1).equalsIgnoreCase("false") ? ThawState.DONE : ThawState.ONGOING;
    }
}
