package io.backbus.uploader.domain;

import io.backbus.repository.ObjectStoreException;
import java.io.InputStream;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * Stored backups as restores read them, in whatever bucket the catalog names. A missing object is an empty result,
 * not an error; failures come after the store's own retries.
 */
public interface BackupObjects {

    /** Size, storage class and thaw status of the object, or empty if there is none. */
    Optional<ObjectHead> head(String bucket, String key) throws ObjectStoreException;

    /** Streams the object, or empty if there is none. The caller closes it, or {@link #abortQuietly}s it. */
    Optional<InputStream> open(String bucket, String key) throws ObjectStoreException;

    /** The first {@code limit} bytes of the object (all of a smaller one), or empty if there is none. */
    Optional<byte[]> readAtMost(String bucket, String key, int limit) throws ObjectStoreException;

    /**
     * Asks for a GLACIER or DEEP_ARCHIVE object to be thawed into a temporary readable copy.
     *
     * @return true if the thaw was started (or the copy exists already), false if one was already under way
     */
    boolean requestThaw(String bucket, String key, int days, Tier tier) throws ObjectStoreException;

    /** Closes a stream of {@link #open} early, cutting the connection instead of draining the rest of the object. */
    void abortQuietly(InputStream in);
}
