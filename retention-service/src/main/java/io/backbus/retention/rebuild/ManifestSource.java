package io.backbus.retention.rebuild;

import java.util.List;
import java.util.Optional;

/** Where the uploader's {@code manifest.json} files are read from (the bucket). */
public interface ManifestSource {

    /** Where this source reads, for messages: endpoint and bucket. */
    String location();

    /**
     * Keys of every manifest: objects under {@code targets/} whose key ends in {@code /manifest.json}.
     *
     * @throws ObjectStoreException if the store cannot be listed
     */
    List<String> manifestKeys();

    /**
     * The manifest's bytes, or empty if the object is gone (deleted since the listing).
     *
     * @throws ManifestTooLargeException if it is larger than {@code maxBytes}
     * @throws ObjectStoreException      if the store cannot be read
     */
    Optional<byte[]> read(String key, int maxBytes);

    /** A manifest too large to be one the uploader wrote. */
    final class ManifestTooLargeException extends RuntimeException {
        public ManifestTooLargeException(String message) {
            super(message);
        }
    }
}
