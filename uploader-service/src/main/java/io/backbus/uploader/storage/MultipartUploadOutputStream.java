package io.backbus.uploader.storage;

import io.backbus.repository.ObjectStoreException;
import io.backbus.uploader.domain.ArtifactUpload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * Writes one S3 object of unknown length with bounded memory: bytes fill a part buffer; each full part is handed to
 * one of at most {@code parallelism} uploader threads while the writer goes on filling the next one, and
 * {@link #close()} uploads the rest, waits for every part and completes the multipart upload with the parts in
 * order. An object smaller than one part is stored with a single PutObject and no multipart upload at all.
 *
 * <p>Memory: at most {@code parallelism} parts in flight plus the one being filled, so never more than
 * {@code (parallelism + 1) × partSize} bytes of buffers, whatever the object's size. When every slot is busy the
 * writer blocks until a part is done; buffers of finished parts are reused, and all are dropped at the end.
 *
 * <p>Each request is retried by {@link S3Retry}. Never leaves an incomplete multipart upload behind (they are
 * invisible and billed): the first failing part stops the others, and the next {@code write}/{@code close} waits for
 * them to settle, aborts the upload and throws. A caller that gives up (e.g. because the source turned out to be
 * corrupt) calls {@link #abort()} instead of {@link #close()}. After a failure or abort the stream is unusable and
 * {@code close()} fails rather than pretend the object was stored.
 *
 * <p>One writer thread; the part uploads run on threads of this stream.
 */
public final class MultipartUploadOutputStream extends ArtifactUpload {

    private static final Logger log = LoggerFactory.getLogger(MultipartUploadOutputStream.class);
    private static final AtomicInteger STREAMS = new AtomicInteger();

    /** S3's limit of parts in one upload. */
    public static final int MAX_PARTS = 10_000;

    private enum State { OPEN, COMPLETED, ABORTED }

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String contentType;
    private final int partSize;
    private final int parallelism;
    private final S3Retry retry;
    private final LongConsumer uploaded;

    /** Part uploads in flight: a permit per slot. */
    private final Semaphore slots;
    /** Buffers of finished parts, ready to be filled again. */
    private final Queue<byte[]> freeBuffers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger buffersAllocated = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Map<Integer, String> eTags = new ConcurrentHashMap<>();
    private final AtomicReference<ObjectStoreException> failure = new AtomicReference<>();

    private ExecutorService workers;
    private byte[] current;
    private int filled;
    private int partsSubmitted;
    private long bytesWritten;
    private String uploadId;
    private State state = State.OPEN;

    /**
     * @param partSize    bytes per part, at least 5 MiB except in tests of tiny objects
     * @param parallelism parts uploaded at the same time, at least 1
     * @param retry       retries of each request
     * @param uploaded    told the size of each part (or single object) once it is stored; called from part threads
     */
    public MultipartUploadOutputStream(S3Client s3, String bucket, String key, int partSize, String contentType,
            int parallelism, S3Retry retry, LongConsumer uploaded) {
        if (partSize <= 0) {
            throw new IllegalArgumentException("partSize must be positive");
        }
        if (parallelism <= 0) {
            throw new IllegalArgumentException("parallelism must be positive");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.contentType = contentType == null ? "application/octet-stream" : contentType;
        this.partSize = partSize;
        this.parallelism = parallelism;
        this.retry = retry;
        this.uploaded = uploaded == null ? n -> { } : uploaded;
        this.slots = new Semaphore(parallelism);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ensureOpen();
        throwIfAPartFailed();
        while (length > 0) {
            if (current == null) {
                current = takeBuffer();
            }
            int n = Math.min(length, partSize - filled);
            System.arraycopy(bytes, offset, current, filled, n);
            filled += n;
            offset += n;
            length -= n;
            bytesWritten += n;
            if (filled == partSize) {
                submitCurrentPart();
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
                putSingleObject();
            } else {
                if (filled > 0) {
                    submitCurrentPart();
                }
                awaitAllParts();
                throwIfAPartFailed();
                complete();
            }
            state = State.COMPLETED;
        } catch (IOException | RuntimeException e) {
            abandon();
            throw e;
        } finally {
            releaseBuffers();
        }
    }

    /**
     * Abandons the object: stops the part uploads and aborts the multipart upload if one was started, so no part
     * stays behind. Does nothing once completed (delete the object instead) or already aborted.
     */
    @Override
    public void abort() {
        if (state == State.OPEN) {
            abandon();
        }
    }

    /** Bytes accepted so far. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** Parts stored so far (0 while the object still fits in one buffer). */
    public int partsUploaded() {
        return eTags.size();
    }

    /** True once {@link #close()} stored the object. */
    public boolean completed() {
        return state == State.COMPLETED;
    }

    /** Part buffers allocated by this stream so far: never more than {@code parallelism + 1}. */
    int buffersAllocated() {
        return buffersAllocated.get();
    }

    /** Most part uploads that ran at the same time. */
    int maxPartsInFlight() {
        return maxInFlight.get();
    }

    private byte[] takeBuffer() {
        byte[] buffer = freeBuffers.poll();
        if (buffer == null) {
            // at most `parallelism` buffers are in flight and this one is filled: the pool never needs more
            buffersAllocated.incrementAndGet();
            buffer = new byte[partSize];
        }
        return buffer;
    }

    private void submitCurrentPart() throws IOException {
        int partNumber = partsSubmitted + 1;
        if (partNumber > MAX_PARTS) {
            ObjectStoreException e = new ObjectStoreException("UploadPart " + partNumber + " of " + key
                    + " exceeds S3's " + MAX_PARTS + " parts; raise the part size", "TooManyParts", false, null);
            abandon();
            throw e;
        }
        if (uploadId == null) {
            try {
                uploadId = retry.call("CreateMultipartUpload " + key, () -> s3.createMultipartUpload(
                        b -> b.bucket(bucket).key(key).contentType(contentType)).uploadId());
            } catch (ObjectStoreException e) {
                abandon();
                throw e;
            }
            workers = Executors.newFixedThreadPool(parallelism, partThreads());
        }
        try {
            slots.acquire(); // blocks while `parallelism` parts are in flight
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon();
            throw new InterruptedIOException("interrupted while waiting to upload part " + partNumber + " of " + key);
        }
        byte[] buffer = current;
        int length = filled;
        try {
            throwIfAPartFailed();
            workers.execute(() -> uploadPart(partNumber, buffer, length));
        } catch (RejectedExecutionException e) {
            // a failing part shut the workers down in the meantime
            slots.release();
            throwIfAPartFailed();
            throw new IOException("upload of " + key + " was stopped", e);
        } catch (IOException e) {
            slots.release();
            throw e;
        }
        partsSubmitted = partNumber;
        current = null;
        filled = 0;
    }

    /** Runs on a part thread. */
    private void uploadPart(int partNumber, byte[] buffer, int length) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            if (failure.get() != null) {
                return; // another part failed: do not start
            }
            String eTag = retry.call("UploadPart " + partNumber + " of " + key, () -> s3.uploadPart(
                    b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                            .contentLength((long) length), body(buffer, length)).eTag());
            if (eTag == null) {
                // seen from S3Mock when the upload is aborted while the part is being written
                throw new ObjectStoreException("UploadPart " + partNumber + " of " + key + " failed: NoETag: the "
                        + "answer carried no ETag (was the upload aborted meanwhile?)", null, false, null);
            }
            eTags.put(partNumber, eTag);
            uploaded.accept(length);
        } catch (ObjectStoreException e) {
            failed(e);
        } catch (RuntimeException e) {
            failed(new ObjectStoreException("UploadPart " + partNumber + " of " + key + " failed: " + e, null, false,
                    e));
        } finally {
            inFlight.decrementAndGet();
            // the buffer is free before the slot, so the writer finds it instead of allocating another
            freeBuffers.add(buffer);
            slots.release();
        }
    }

    private void failed(ObjectStoreException e) {
        if (failure.compareAndSet(null, e)) {
            // stop the others now; the writer aborts the upload once they have settled. A part still queued
            // never runs, so its slot is given back here.
            slots.release(workers.shutdownNow().size());
        }
    }

    private void throwIfAPartFailed() throws IOException {
        ObjectStoreException e = failure.get();
        if (e != null) {
            abandon();
            throw e;
        }
    }

    private void awaitAllParts() throws IOException {
        try {
            slots.acquire(parallelism);
            slots.release(parallelism);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the parts of " + key);
        }
    }

    private void complete() throws ObjectStoreException {
        List<CompletedPart> parts = new ArrayList<>(partsSubmitted);
        for (int n = 1; n <= partsSubmitted; n++) {
            String eTag = eTags.get(n);
            if (eTag == null) {
                throw new ObjectStoreException("part " + n + " of " + key + " has no ETag", null, false, null);
            }
            parts.add(CompletedPart.builder().partNumber(n).eTag(eTag).build());
        }
        try {
            retry.call("CompleteMultipartUpload " + key, () -> s3.completeMultipartUpload(
                    b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
        } catch (ObjectStoreException e) {
            // a retried Complete may fail although an earlier attempt stored the object: make sure it is gone
            deleteQuietly();
            throw e;
        }
    }

    private void putSingleObject() throws ObjectStoreException {
        byte[] buffer = current == null ? new byte[0] : current;
        int length = filled;
        try {
            retry.call("PutObject " + key, () -> s3.putObject(
                    b -> b.bucket(bucket).key(key).contentType(contentType).contentLength((long) length),
                    body(buffer, length)));
        } catch (ObjectStoreException e) {
            deleteQuietly();
            throw e;
        }
        uploaded.accept(length);
    }

    /** The buffered bytes without copying them; re-readable so a request can be retried. */
    private RequestBody body(byte[] buffer, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length,
                contentType);
    }

    /** Stops the part uploads, lets those under way settle, aborts the multipart upload. */
    private void abandon() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        if (workers != null) {
            workers.shutdownNow();
            try {
                // a part request in the middle of its HTTP exchange finishes or fails on its own
                if (!workers.awaitTermination(2, TimeUnit.MINUTES)) {
                    log.warn("Parts of s3://{}/{} still running while aborting the upload", bucket, key);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (uploadId != null) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
                log.info("Aborted multipart upload of s3://{}/{} after {} part(s)", bucket, key, eTags.size());
            } catch (NoSuchUploadException e) {
                // already gone
            } catch (SdkException e) {
                // an AbortIncompleteMultipartUpload lifecycle rule on the bucket is the backstop for this
                log.error("Could not abort multipart upload {} of s3://{}/{}: {}", uploadId, bucket, key,
                        e.getMessage());
            }
        }
        releaseBuffers();
    }

    private void deleteQuietly() {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            log.error("Could not delete s3://{}/{}: {}", bucket, key, e.getMessage());
        }
    }

    private void releaseBuffers() {
        current = null;
        freeBuffers.clear();
        if (workers != null) {
            workers.shutdown();
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

    private ThreadFactoryWithNames partThreads() {
        return new ThreadFactoryWithNames("s3-part-" + STREAMS.incrementAndGet() + "-");
    }

    private static final class ThreadFactoryWithNames implements java.util.concurrent.ThreadFactory {

        private final String prefix;
        private final AtomicInteger count = new AtomicInteger();

        ThreadFactoryWithNames(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
