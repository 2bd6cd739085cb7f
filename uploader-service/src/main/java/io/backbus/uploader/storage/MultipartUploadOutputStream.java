package io.backbus.uploader.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * Writes one S3 object of unknown length with bounded memory: bytes are buffered up to one part, each full part
 * is uploaded as it fills, and {@link #close()} uploads the rest and completes the multipart upload. An object
 * smaller than one part is stored with a single PutObject and no multipart upload at all.
 *
 * <p>Never leaves an incomplete multipart upload behind (they are invisible and billed): any failure while
 * uploading or completing aborts the upload before the exception is thrown, and a caller that gives up
 * (e.g. because the source turned out to be corrupt) calls {@link #abort()} instead of {@link #close()}. After a
 * failure or abort the stream is unusable and {@code close()} fails rather than pretend the object was stored.
 *
 * <p>Not thread-safe: one writer.
 */
public final class MultipartUploadOutputStream extends OutputStream {

    private static final Logger log = LoggerFactory.getLogger(MultipartUploadOutputStream.class);

    /** S3's limit of parts in one upload. */
    public static final int MAX_PARTS = 10_000;

    private enum State { OPEN, COMPLETED, ABORTED }

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String contentType;
    private final byte[] part;
    private final List<CompletedPart> completedParts = new ArrayList<>();
    private int filled;
    private long bytesWritten;
    private String uploadId;
    private State state = State.OPEN;

    /**
     * @param partSize bytes per part, at least 5 MiB except in tests of tiny objects; this much memory is held
     */
    public MultipartUploadOutputStream(S3Client s3, String bucket, String key, int partSize, String contentType) {
        if (partSize <= 0) {
            throw new IllegalArgumentException("partSize must be positive");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.contentType = contentType == null ? "application/octet-stream" : contentType;
        this.part = new byte[partSize];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ensureOpen();
        while (length > 0) {
            int n = Math.min(length, part.length - filled);
            System.arraycopy(bytes, offset, part, filled, n);
            filled += n;
            offset += n;
            length -= n;
            bytesWritten += n;
            if (filled == part.length) {
                uploadBufferedPart();
            }
        }
    }

    /** Completes the upload: the object becomes visible with everything written. */
    @Override
    public void close() throws IOException {
        if (state == State.COMPLETED) {
            return;
        }
        ensureOpen();
        try {
            if (uploadId == null) {
                s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength((long) filled),
                        body(filled));
            } else {
                if (filled > 0) {
                    uploadBufferedPart();
                }
                s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(completedParts)));
            }
            state = State.COMPLETED;
        } catch (SdkException e) {
            ObjectStoreException failure = ObjectStoreException.of(
                    (uploadId == null ? "PutObject " : "CompleteMultipartUpload ") + key, e);
            abortQuietly();
            throw failure;
        }
    }

    /**
     * Abandons the object: aborts the multipart upload if one was started, so no part stays behind. Does nothing
     * once completed (delete the object instead) or already aborted.
     */
    public void abort() {
        if (state == State.OPEN) {
            abortQuietly();
        }
    }

    /** Bytes accepted so far. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** Parts uploaded so far (0 while the object still fits in one buffer). */
    public int partsUploaded() {
        return completedParts.size();
    }

    /** True once {@link #close()} stored the object. */
    public boolean completed() {
        return state == State.COMPLETED;
    }

    private void uploadBufferedPart() throws IOException {
        int partNumber = completedParts.size() + 1;
        try {
            if (uploadId == null) {
                uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType))
                        .uploadId();
            }
            if (partNumber > MAX_PARTS) {
                throw new ObjectStoreException("UploadPart " + partNumber + " of " + key + " exceeds S3's "
                        + MAX_PARTS + " parts; raise the part size", "TooManyParts", false, null);
            }
            int length = filled;
            String eTag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                    .contentLength((long) length), body(length)).eTag();
            completedParts.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
            filled = 0;
        } catch (SdkException e) {
            ObjectStoreException failure = ObjectStoreException.of(
                    (uploadId == null ? "CreateMultipartUpload " : "UploadPart " + partNumber + " of ") + key, e);
            abortQuietly();
            throw failure;
        } catch (ObjectStoreException e) {
            abortQuietly();
            throw e;
        }
    }

    /** The buffered bytes without copying them; re-readable so the SDK can retry the request. */
    private RequestBody body(int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(part, 0, length), length,
                contentType);
    }

    private void abortQuietly() {
        state = State.ABORTED;
        if (uploadId == null) {
            return;
        }
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            log.info("Aborted multipart upload of s3://{}/{} after {} part(s)", bucket, key, completedParts.size());
        } catch (NoSuchUploadException e) {
            // already gone
        } catch (SdkException e) {
            // an AbortIncompleteMultipartUpload lifecycle rule on the bucket is the backstop for this
            log.error("Could not abort multipart upload {} of s3://{}/{}: {}", uploadId, bucket, key, e.getMessage());
        }
    }

    private void ensureOpen() throws IOException {
        if (state == State.ABORTED) {
            throw new IOException("upload of " + key + " was aborted");
        }
        if (state == State.COMPLETED) {
            throw new IOException("upload of " + key + " is already complete");
        }
    }
}
