package io.backbus.uploader.storage;

import io.backbus.repository.ObjectStoreException;
import io.backbus.uploader.config.UploaderProperties;
import io.backbus.uploader.domain.ArtifactStore;
import io.backbus.uploader.domain.OpenUpload;
import io.backbus.uploader.domain.UploadMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The backup bucket: multipart writes of artifacts, manifests, size checks and clean-up. */
@Component
class S3ArtifactStore implements ArtifactStore {

    private static final Logger log = LoggerFactory.getLogger(S3ArtifactStore.class);
    private static final long MIB = 1024L * 1024;

    private final S3Client s3;
    private final String bucket;
    private final int partSize;
    private final int parallelism;
    private final S3Retry retry;
    private final LongConsumer uploaded;

    /** From the settings; creates the bucket unless it exists when {@code create-bucket} is set. */
    @Autowired
    S3ArtifactStore(S3Client s3, UploaderProperties properties, UploadMetrics metrics) {
        this(s3, properties.bucket(), (int) properties.partSize().toBytes(), properties.uploadParallelism(),
                S3Retry.of(properties), metrics::uploaded);
        log.info("Uploads: {} parts of {} in flight, at most {} MiB of part buffers per upload",
                properties.uploadParallelism(), properties.partSize(),
                properties.uploadMemoryBound() / (1024 * 1024));
        if (properties.createBucket()) {
            ensureBucket();
        }
    }

    /**
     * @param parallelism parts of one object uploaded at the same time
     * @param retry       retries of every write (parts, single objects, completion)
     * @param uploaded    told the bytes of each part or object once stored (a metric)
     */
    S3ArtifactStore(S3Client s3, String bucket, int partSize, int parallelism, S3Retry retry,
            LongConsumer uploaded) {
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
        this.parallelism = parallelism;
        this.retry = retry;
        this.uploaded = uploaded;
    }

    @Override
    public String bucket() {
        return bucket;
    }

    /** Creates the bucket unless it exists. */
    void ensureBucket() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return;
        } catch (NoSuchBucketException e) {
            // create below
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw new IllegalStateException(ObjectStoreException.of("HeadBucket " + bucket, e).getMessage(), e);
            }
        }
        try {
            s3.createBucket(b -> b.bucket(bucket));
            log.info("Created bucket {}", bucket);
        } catch (BucketAlreadyOwnedByYouException e) {
            // another replica was faster
        } catch (SdkException e) {
            throw new IllegalStateException(ObjectStoreException.of("CreateBucket " + bucket, e).getMessage(), e);
        }
    }

    /**
     * Starts writing {@code key}. The part size is the configured one, raised (to whole MiB) when an object of
     * {@code expectedSize} bytes would need more than 10,000 parts.
     */
    @Override
    public MultipartUploadOutputStream openUpload(String key, long expectedSize, String contentType) {
        return new MultipartUploadOutputStream(s3, bucket, key, partSizeFor(expectedSize), contentType, parallelism,
                retry, uploaded);
    }

    int partSizeFor(long expectedSize) {
        // leave room for encryption overhead and a size that was slightly off
        long needed = (long) Math.ceil(expectedSize * 1.01 / (MultipartUploadOutputStream.MAX_PARTS - 100));
        long rounded = (needed + MIB - 1) / MIB * MIB;
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(partSize, rounded));
    }

    /** Size of the stored object, or empty if there is none. */
    @Override
    public OptionalLong sizeOf(String key) throws ObjectStoreException {
        try {
            return OptionalLong.of(s3.headObject(b -> b.bucket(bucket).key(key)).contentLength());
        } catch (NoSuchKeyException e) {
            return OptionalLong.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return OptionalLong.empty();
            }
            throw ObjectStoreException.of("HeadObject " + key, e);
        } catch (SdkException e) {
            throw ObjectStoreException.of("HeadObject " + key, e);
        }
    }

    /** Stores a small object in one request (retried). */
    @Override
    public void put(String key, byte[] content, String contentType) throws ObjectStoreException {
        retry.call("PutObject " + key, () -> s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType),
                RequestBody.fromBytes(content)));
    }

    /** Deletes an object if it exists; failures are logged, since this only cleans up after another failure. */
    @Override
    public void deleteQuietly(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            log.error("Could not delete s3://{}/{}: {}", bucket, key, e.getMessage());
        }
    }

    /** The multipart uploads in progress under {@code prefix}, every page of ListMultipartUploads. */
    @Override
    public List<OpenUpload> openUploads(String prefix) throws ObjectStoreException {
        try {
            List<OpenUpload> open = new ArrayList<>();
            s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(prefix)).uploads()
                    .forEach(u -> open.add(new OpenUpload(u.key(), u.uploadId(), u.initiated())));
            return open;
        } catch (SdkException e) {
            throw ObjectStoreException.of("ListMultipartUploads " + prefix, e);
        }
    }

    /** Aborts one multipart upload; one already gone counts as aborted. */
    @Override
    public boolean abortQuietly(OpenUpload upload) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
            return true;
        } catch (NoSuchUploadException e) {
            return true;
        } catch (SdkException e) {
            log.error("Could not abort multipart upload {} of s3://{}/{}: {}", upload.uploadId(), bucket,
                    upload.key(), e.getMessage());
            return false;
        }
    }
}
