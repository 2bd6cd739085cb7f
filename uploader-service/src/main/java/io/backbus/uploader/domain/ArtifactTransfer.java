package io.backbus.uploader.domain;

import io.backbus.contracts.ArtifactReady;
import io.backbus.contracts.ArtifactStreaming;
import io.backbus.contracts.FailureStage;
import io.backbus.crypto.ArtifactCipher;
import io.backbus.crypto.KeyHandlingException;
import io.backbus.repository.ObjectStoreException;
import io.backbus.streams.ByteCount;
import io.backbus.streams.EndpointFailedException;
import io.backbus.streams.InputPipeline;
import io.backbus.streams.OutputPipeline;
import io.backbus.streams.Progress;
import io.backbus.streams.Sha256Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import org.springframework.stereotype.Service;

/**
 * Moves one artifact from its agent into the bucket in a single pass, with no temp file and bounded memory:
 * pull → count and SHA-256 the plaintext → encrypt (associated data = the object key) → count and SHA-256 the
 * ciphertext → multipart upload (parts in parallel, see {@link ArtifactStore#openUpload}). Progress is published
 * as the plaintext is read. The plaintext is checked against the event's size and SHA-256 <em>before</em>
 * the upload is completed, so a corrupt or truncated artifact never becomes an object; every failure aborts the
 * multipart upload. A live artifact ({@link #stream}) is pulled the same way with nothing to check against: its
 * size and SHA-256 are computed and returned.
 */
@Service
public class ArtifactTransfer {

    private static final int BUFFER = 64 * 1024;

    private final ArtifactSource source;
    private final ArtifactStore store;
    private final ArtifactCipher cipher;
    private final ProgressReports progress;
    private final UploadMetrics metrics;

    public ArtifactTransfer(ArtifactSource source, ArtifactStore store, ArtifactCipher cipher, ProgressReports progress,
            UploadMetrics metrics) {
        this.source = source;
        this.store = store;
        this.cipher = cipher;
        this.progress = progress;
        this.metrics = metrics;
    }

    /**
     * Pulls a staged artifact; its size and SHA-256 must be the event's before the object is completed.
     * {@code guard} stops it once the run's claim was taken over.
     */
    TransferResult transfer(ArtifactReady ready, String objectKey, StreamGuard guard) throws StageFailure {
        return run(URI.create(ready.location()), ready.sizeBytes(), ready.sha256(), progress.start(ready), objectKey,
                guard);
    }

    /**
     * Pulls a live artifact while it is dumped: its size and SHA-256 are not known yet, so nothing is checked; they
     * are computed and returned (for ArtifactReady to check later). The body must end normally: one that breaks off
     * (the dump failed) fails the transfer and aborts the upload.
     */
    TransferResult stream(ArtifactStreaming hint, String objectKey, StreamGuard guard) throws StageFailure {
        return run(URI.create(hint.location()), -1, null, progress.start(hint), objectKey, guard);
    }

    /**
     * @param expectedSize   bytes the body must have, -1 when unknown
     * @param expectedSha256 their SHA-256, null when unknown
     */
    private TransferResult run(URI location, long expectedSize, String expectedSha256, Progress progress,
            String objectKey, StreamGuard guard) throws StageFailure {
        boolean known = expectedSize >= 0;
        String shown = ArtifactSource.redact(location);
        InputStream body;
        try {
            body = source.open(location);
        } catch (ArtifactSourceException e) {
            throw new StageFailure(FailureStage.TRANSFER, e.getMessage(), e.retryable());
        }
        ArtifactUpload upload = store.openUpload(objectKey, expectedSize, "application/octet-stream");
        // the plaintext digest is on the reading side: known at the body's end, before the upload is completed
        Sha256Digest plaintextDigest = new Sha256Digest();
        ByteCount ciphertextSize = new ByteCount();
        Sha256Digest ciphertextDigest = new Sha256Digest();
        InputStream plaintext = body;
        try {
            plaintext = openBody(body, plaintextDigest, progress);
            String keyId = cipher.keyId();
            OutputStream encrypting = openEncryption(upload, objectKey, ciphertextSize, ciphertextDigest);
            long plaintextSize = 0;
            byte[] buffer = new byte[BUFFER];
            String ofTotal = known ? " of " + expectedSize : "";
            while (true) {
                int n;
                try {
                    n = plaintext.read(buffer);
                } catch (IOException e) {
                    IOException failure = sourceFailure(e);
                    if (failure instanceof StalledStreamException) {
                        throw new StageFailure(FailureStage.TRANSFER, failure.getMessage() + " after "
                                + plaintextSize + ofTotal + " bytes from " + shown, true);
                    }
                    // the connection dropped mid-body: worth another attempt
                    throw new StageFailure(FailureStage.TRANSFER, (known ? "truncated: expected " + expectedSize
                            + " bytes, got " : "broke off after ") + plaintextSize + (known ? "" : " bytes")
                            + " when reading " + shown + " failed: " + failure.getClass().getSimpleName()
                            + (failure.getMessage() == null ? "" : ": " + failure.getMessage()), true);
                }
                if (n < 0) {
                    break;
                }
                plaintextSize += n;
                metrics.read(n);
                if (known && plaintextSize > expectedSize) {
                    throw new StageFailure(FailureStage.TRANSFER, "oversized: expected " + expectedSize
                            + " bytes, got more from " + shown, false);
                }
                write(encrypting, buffer, n);
                guard.checkReading();
            }
            if (known && plaintextSize != expectedSize) {
                throw new StageFailure(FailureStage.TRANSFER, "truncated: expected " + expectedSize
                        + " bytes, got " + plaintextSize + " from " + shown, false);
            }
            String plaintextSha256 = plaintextDigest.hex();
            if (expectedSha256 != null && !plaintextSha256.equalsIgnoreCase(expectedSha256)) {
                throw new StageFailure(FailureStage.TRANSFER, "checksum mismatch: expected sha256 "
                        + expectedSha256 + " got " + plaintextSha256 + " from " + shown, false);
            }
            guard.checkBeforeCompletion();
            finish(encrypting); // writes the last segment and completes the multipart upload
            progress.finished();
            return new TransferResult(plaintextSize, plaintextSha256, ciphertextSize.bytes(),
                    ciphertextDigest.hex(), keyId);
        } finally {
            upload.abort(); // no-op once completed
            closeQuietly(plaintext);
        }
    }

    /** The body, digested and reported on as it is read. */
    private static InputStream openBody(InputStream body, Sha256Digest digest, Progress progress)
            throws StageFailure {
        try {
            return InputPipeline.of(digest, progress).from(body);
        } catch (IOException e) {
            // neither filter reads ahead, so this is not expected; a failing body is worth another attempt
            throw new StageFailure(FailureStage.TRANSFER, "cannot read the artifact: " + e, true);
        }
    }

    /** What failed under a read of the body: the source's own exception, not the pipeline's wrapper. */
    private static IOException sourceFailure(IOException e) {
        return EndpointFailedException.in(e).map(EndpointFailedException::failure)
                .filter(IOException.class::isInstance).map(IOException.class::cast).orElse(e);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the bytes were read and checked already; a failing close changes nothing
        }
    }

    /** Encrypts into the upload, counting and digesting the ciphertext on its way. */
    private OutputStream openEncryption(ArtifactUpload upload, String objectKey, ByteCount ciphertextSize,
            Sha256Digest ciphertextDigest) throws StageFailure {
        try {
            return OutputPipeline.of(cipher.encryption(objectKey), ciphertextSize, ciphertextDigest).into(upload);
        } catch (KeyHandlingException e) {
            throw new StageFailure(FailureStage.ENCRYPT, e.getMessage(), false);
        } catch (IOException e) {
            throw classify(e);
        }
    }

    private static void write(OutputStream encrypting, byte[] buffer, int n) throws StageFailure {
        try {
            encrypting.write(buffer, 0, n);
        } catch (IOException e) {
            throw classify(e);
        } catch (RuntimeException e) {
            throw new StageFailure(FailureStage.ENCRYPT, "encryption failed: " + e, false);
        }
    }

    private static void finish(OutputStream encrypting) throws StageFailure {
        try {
            encrypting.close();
        } catch (IOException e) {
            throw classify(e);
        } catch (RuntimeException e) {
            throw new StageFailure(FailureStage.ENCRYPT, "encryption failed: " + e, false);
        }
    }

    /** An S3 failure surfacing through the encrypting stream is an UPLOAD failure; anything else is ENCRYPT's. */
    private static StageFailure classify(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ObjectStoreException s3) {
                return new StageFailure(FailureStage.UPLOAD, s3.getMessage(), s3.retryable());
            }
        }
        return new StageFailure(FailureStage.ENCRYPT, "encryption failed: " + e, false);
    }
}
