package io.backbus.repository.manifest;

import io.backbus.repository.ObjectStoreException;
import java.util.List;
import java.util.Optional;

/** Where the manifests of stored backups are read from: the bucket ({@link BucketManifests}). */
public interface ManifestSource {

    /** Where this source reads, for messages: endpoint and bucket. */
    String location();

    /**
     * Keys of every manifest ({@link io.backbus.repository.layout.RepositoryLayout#isManifestKey}).
     *
     * @throws ObjectStoreException if the store cannot be listed
     */
    List<String> manifestKeys() throws ObjectStoreException;

    /**
     * The manifest's bytes, or empty if the object is gone (deleted since the listing).
     *
     * @throws ManifestTooLargeException if it is larger than {@code maxBytes}
     * @throws ObjectStoreException      if the store cannot be read
     */
    Optional<byte[]> read(String key, int maxBytes) throws ObjectStoreException;

    /** A manifest too large to be one a service wrote. */
    final class ManifestTooLargeException extends RuntimeException {
        public ManifestTooLargeException(String message) {
            super(message);
        }
    }
}
