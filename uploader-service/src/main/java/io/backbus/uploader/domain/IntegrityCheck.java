package io.backbus.uploader.domain;

import io.backbus.contracts.RestoreRequested;
import io.backbus.contracts.RestoreStage;
import io.backbus.crypto.ArtifactCipher;
import io.backbus.crypto.KeyHandlingException;
import io.backbus.repository.ObjectStoreException;
import io.backbus.streams.ByteCount;
import io.backbus.streams.EndpointFailedException;
import io.backbus.streams.InputPipeline;
import io.backbus.streams.PipelineInputStream;
import io.backbus.streams.Progress;
import io.backbus.streams.Sha256Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The check pass of a restore: reads the whole object, decrypts it (Tink authenticates every segment) and hashes
 * and counts the plaintext, keeping none of it — one 64 KiB buffer and Tink's segment, whatever the size, and never
 * a byte on disk. Only a backup that authenticates to the end and whose SHA-256 and size are the catalog's is
 * handed to a destination.
 */
@Service
public class IntegrityCheck {

    private static final Logger log = LoggerFactory.getLogger(IntegrityCheck.class);
    private static final int BUFFER = 64 * 1024;

    private final BackupObjects objects;
    private final ArtifactCipher cipher;
    private final ProgressReports progress;

    public IntegrityCheck(BackupObjects objects, ArtifactCipher cipher, ProgressReports progress) {
        this.objects = objects;
        this.cipher = cipher;
        this.progress = progress;
    }

    /**
     * What the check pass found.
     *
     * @param plaintextSize   bytes of plaintext
     * @param plaintextSha256 their hex SHA-256
     * @param ciphertextSize  bytes of ciphertext read
     */
    record Result(long plaintextSize, String plaintextSha256, long ciphertextSize) {
    }

    /** @throws RestoreFailure FETCH when the object cannot be read, INTEGRITY when it is not the catalog's backup */
    Result check(RestoreRequested r) throws RestoreFailure {
        Optional<InputStream> object;
        try {
            object = objects.open(r.bucket(), r.objectKey());
        } catch (ObjectStoreException e) {
            throw new RestoreFailure(RestoreStage.FETCH, "backup " + r.backupId() + ": " + e.getMessage(),
                    e.retryable());
        }
        if (object.isEmpty()) {
            throw new RestoreFailure(RestoreStage.FETCH, missing(r));
        }
        ByteCount ciphertext = new ByteCount();
        Progress progressed = progress.start(r);
        Sha256Digest digest = new Sha256Digest();
        PipelineInputStream plaintext = null;
        boolean complete = false;
        try {
            plaintext = openDecryption(r, object.get(), ciphertext, progressed, digest);
            long size = 0;
            byte[] buffer = new byte[BUFFER];
            while (true) {
                int n;
                try {
                    n = plaintext.read(buffer);
                } catch (IOException e) {
                    throw readFailure(r, ciphertext, plaintext.sourceFailure(), e);
                }
                if (n < 0) {
                    break;
                }
                size += n;
            }
            complete = true;
            progressed.finished();
            String sha256 = digest.hex();
            if (size != r.plaintextSize()) {
                throw failedCheck(r, "the plaintext is " + size + " bytes, the catalog says " + r.plaintextSize());
            }
            if (!sha256.equals(r.plaintextSha256())) {
                throw failedCheck(r, "the plaintext SHA-256 is " + sha256 + ", the catalog says "
                        + r.plaintextSha256());
            }
            if (ciphertext.bytes() != r.ciphertextSize()) {
                // the object was replaced between HeadObject and GetObject
                throw failedCheck(r, "read " + ciphertext.bytes() + " bytes of ciphertext, the catalog says "
                        + r.ciphertextSize());
            }
            return new Result(size, sha256, ciphertext.bytes());
        } finally {
            if (complete) {
                closeQuietly(plaintext);
            } else {
                objects.abortQuietly(object.get());
            }
        }
    }

    /**
     * S3 → count and report the ciphertext → decrypt → digest the plaintext; the pipeline remembers the object
     * store's failures, which Tink would report like a ciphertext that does not authenticate.
     */
    private PipelineInputStream openDecryption(RestoreRequested r, InputStream object, ByteCount ciphertext,
            Progress progressed, Sha256Digest plaintext) throws RestoreFailure {
        try {
            return InputPipeline.of(ciphertext, progressed, cipher.decryption(r.objectKey()), plaintext)
                    .from(object);
        } catch (KeyHandlingException e) {
            throw failedCheck(r, "it cannot be decrypted: " + e.getMessage());
        } catch (IOException e) {
            throw readFailure(r, ciphertext, EndpointFailedException.in(e), e);
        }
    }

    /** A failing object store is FETCH (worth another request); anything else is the ciphertext's fault. */
    private static RestoreFailure readFailure(RestoreRequested r, ByteCount ciphertext,
            Optional<EndpointFailedException> sourceFailure, IOException e) {
        if (sourceFailure.isPresent()) {
            Exception source = sourceFailure.get().failure();
            return new RestoreFailure(RestoreStage.FETCH, "backup " + r.backupId() + ": reading " + r.objectKey()
                    + " from bucket " + r.bucket() + " failed after " + ciphertext.bytes() + " of "
                    + r.ciphertextSize() + " bytes: " + source.getClass().getSimpleName()
                    + (source.getMessage() == null ? "" : ": " + source.getMessage()), true);
        }
        log.warn("Restore {}: backup {} ({}) does not authenticate after {} of {} ciphertext bytes: {}",
                r.restoreId(), r.backupId(), r.objectKey(), ciphertext.bytes(), r.ciphertextSize(), e.toString());
        return new RestoreFailure(RestoreStage.INTEGRITY, "backup " + r.backupId() + " failed its integrity check: "
                + "the ciphertext does not authenticate (the object is corrupt or was encrypted with a key this "
                + "uploader does not hold); nothing was written to the destination");
    }

    private static RestoreFailure failedCheck(RestoreRequested r, String finding) {
        return new RestoreFailure(RestoreStage.INTEGRITY, "backup " + r.backupId() + " failed its integrity check: "
                + finding + "; nothing was written to the destination");
    }

    static String missing(RestoreRequested r) {
        return "backup " + r.backupId() + ": object " + r.objectKey() + " is not in bucket " + r.bucket()
                + " (expired or deleted)";
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // everything was read and checked already
        }
    }
}
