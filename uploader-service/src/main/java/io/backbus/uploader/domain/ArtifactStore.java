package io.backbus.uploader.domain;

import io.backbus.repository.ObjectStoreException;
import java.util.List;
import java.util.OptionalLong;

/** The backup bucket as uploads write it: artifacts (streamed, multipart), manifests, size checks, clean-up. */
public interface ArtifactStore {

    /** The bucket written to. */
    String bucket();

    /** Starts writing {@code key}; {@code expectedSize} (-1 when unknown) lets the part size grow for huge objects. */
    ArtifactUpload openUpload(String key, long expectedSize, String contentType);

    /** Size of the stored object, or empty if there is none. */
    OptionalLong sizeOf(String key) throws ObjectStoreException;

    /** Stores a small object in one request (retried). */
    void put(String key, byte[] content, String contentType) throws ObjectStoreException;

    /** Deletes an object if it exists; failures are logged, since this only cleans up after another failure. */
    void deleteQuietly(String key);

    /** The multipart uploads in progress under {@code prefix} (all pages). */
    List<OpenUpload> openUploads(String prefix) throws ObjectStoreException;

    /** Aborts one multipart upload; false (logged) if it could not be aborted. */
    boolean abortQuietly(OpenUpload upload);
}
