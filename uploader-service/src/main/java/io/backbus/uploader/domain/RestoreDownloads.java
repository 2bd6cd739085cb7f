package io.backbus.uploader.domain;

import io.backbus.crypto.ArtifactCipher;
import io.backbus.repository.ObjectStoreException;
import io.backbus.streams.ByteCount;
import io.backbus.streams.EndpointFailedException;
import io.backbus.streams.InputPipeline;
import io.backbus.streams.PipelineInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Opens checked restore artifacts for download: S3 GetObject → Tink decryption, streamed, never stored. The check
 * pass authenticated this ciphertext already; should it have changed since, the decrypting stream fails mid-body
 * and the download is cut off rather than completed with wrong bytes.
 */
@Service
public class RestoreDownloads {

    private final RestoreArtifactStore artifacts;
    private final BackupObjects objects;
    private final ArtifactCipher cipher;

    public RestoreDownloads(RestoreArtifactStore artifacts, BackupObjects objects, ArtifactCipher cipher) {
        this.artifacts = artifacts;
        this.objects = objects;
        this.cipher = cipher;
    }

    public Optional<RestoreArtifact> find(UUID restoreId) {
        return artifacts.find(restoreId);
    }

    /**
     * Starts streaming the artifact's plaintext.
     *
     * @return empty when the object is no longer in the bucket
     * @throws ObjectStoreException when the object store fails the request (after its retries)
     */
    public Optional<Download> open(RestoreArtifact artifact) throws ObjectStoreException {
        Optional<InputStream> object = objects.open(artifact.bucket(),
                artifact.objectKey());
        if (object.isEmpty()) {
            return Optional.empty();
        }
        ByteCount ciphertext = new ByteCount();
        try {
            PipelineInputStream plaintext = InputPipeline.of(ciphertext, cipher.decryption(artifact.objectKey()))
                    .from(object.get());
            return Optional.of(new Download(artifact, ciphertext, plaintext, object.get(), objects));
        } catch (IOException | RuntimeException e) {
            objects.abortQuietly(object.get());
            throw new ObjectStoreException("cannot start decrypting " + artifact.objectKey() + ": "
                    + e.getClass().getSimpleName(), null, false, e);
        }
    }

    /** One download under way: read {@link #plaintext()}, then close (or abort on failure). */
    public static final class Download implements AutoCloseable {

        private final RestoreArtifact artifact;
        private final ByteCount ciphertext;
        private final PipelineInputStream plaintext;
        private final InputStream object;
        private final BackupObjects objects;

        private Download(RestoreArtifact artifact, ByteCount ciphertext, PipelineInputStream plaintext,
                InputStream object, BackupObjects objects) {
            this.artifact = artifact;
            this.ciphertext = ciphertext;
            this.plaintext = plaintext;
            this.object = object;
            this.objects = objects;
        }

        public RestoreArtifact artifact() {
            return artifact;
        }

        /** The authenticated plaintext; a read fails if the ciphertext does not authenticate or S3 fails. */
        public InputStream plaintext() {
            return plaintext;
        }

        /** Why a read of {@link #plaintext()} failed, in words fit for a log (no key material, no URL). */
        public String explain(IOException failure) {
            Optional<EndpointFailedException> failed = plaintext.sourceFailure();
            if (failed.isPresent()) {
                Exception source = failed.get().failure();
                return "reading s3://" + artifact.bucket() + "/" + artifact.objectKey() + " failed after "
                        + ciphertext.bytes() + " ciphertext bytes: " + source.getClass().getSimpleName()
                        + (source.getMessage() == null ? "" : ": " + source.getMessage());
            }
            return "the ciphertext of " + artifact.objectKey() + " does not authenticate after " + ciphertext.bytes()
                    + " bytes (the object changed since its check pass, or is corrupt): " + failure;
        }

        /** Cuts the object store's connection without draining the rest of the object. */
        public void abort() {
            objects.abortQuietly(object);
        }

        @Override
        public void close() {
            try {
                plaintext.close();
            } catch (IOException e) {
                // everything was sent already
            }
        }
    }
}
