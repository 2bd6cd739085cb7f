package io.backbus.uploader.storage;

import io.backbus.repository.ObjectStoreException;
import io.backbus.uploader.config.UploaderProperties;
import io.backbus.uploader.domain.BackupObjects;
import io.backbus.uploader.domain.ObjectHead;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * Reads stored backups for restores, in whatever bucket the catalog names: HeadObject, GetObject (streamed, or small
 * objects whole) and RestoreObject to thaw cold tiers. Every request is retried in place on 5xx, throttling and no
 * answer ({@link S3Retry}); a missing object is an empty result, not an error.
 */
@Component
class S3BackupObjects implements BackupObjects {

    private final S3Client s3;
    private final S3Retry retry;

    @Autowired
    S3BackupObjects(S3Client s3, UploaderProperties properties) {
        this(s3, S3Retry.of(properties));
    }

    S3BackupObjects(S3Client s3, S3Retry retry) {
        this.s3 = s3;
        this.retry = retry;
    }

    /** Size, storage class and thaw status of the object, or empty if there is none. */
    @Override
    public Optional<ObjectHead> head(String bucket, String key) throws ObjectStoreException {
        return unlessMissing(() -> retry.call("HeadObject " + key, () -> s3.headObject(b -> b.bucket(bucket)
                .key(key)))).map(S3BackupObjects::toHead);
    }

    @Override
    public Optional<InputStream> open(String bucket, String key) throws ObjectStoreException {
        return stream(bucket, key).map(in -> in);
    }

    private Optional<ResponseInputStream<GetObjectResponse>> stream(String bucket, String key)
            throws ObjectStoreException {
        return unlessMissing(() -> retry.call("GetObject " + key, () -> s3.getObject(b -> b.bucket(bucket)
                .key(key))));
    }

    /**
     * The first {@code limit} bytes of the object (all of a smaller one), or empty if there is none. Reading stops
     * there, so a huge object never fills the heap.
     */
    @Override
    public Optional<byte[]> readAtMost(String bucket, String key, int limit) throws ObjectStoreException {
        Optional<ResponseInputStream<GetObjectResponse>> in = stream(bucket, key);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (ResponseInputStream<GetObjectResponse> stream = in.get()) {
            byte[] bytes = stream.readNBytes(limit);
            if (bytes.length == limit) {
                stream.abort(); // do not drain the rest of an oversized object
            }
            return Optional.of(bytes);
        } catch (IOException e) {
            throw new ObjectStoreException("GetObject " + key + " failed while reading: " + e.getClass()
                    .getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), null, true, e);
        }
    }

    /**
     * Asks S3 to thaw a GLACIER or DEEP_ARCHIVE object into a temporary readable copy.
     *
     * @return true if the thaw was started (or the copy exists already), false if one was already under way
     */
    @Override
    public boolean requestThaw(String bucket, String key, int days, Tier tier) throws ObjectStoreException {
        try {
            retry.call("RestoreObject " + key, () -> s3.restoreObject(b -> b.bucket(bucket).key(key)
                    .restoreRequest(r -> r.days(days).glacierJobParameters(g -> g.tier(tier)))));
            return true;
        } catch (ObjectStoreException e) {
            if ("RestoreAlreadyInProgress".equals(e.errorCode())) {
                return false;
            }
            throw e;
        }
    }

    private static ObjectHead toHead(HeadObjectResponse r) {
        return new ObjectHead(r.contentLength() == null ? -1 : r.contentLength(), r.storageClassAsString(),
                r.restore());
    }

    private static <T> Optional<T> unlessMissing(Call<T> call) throws ObjectStoreException {
        try {
            return Optional.of(call.run());
        } catch (ObjectStoreException e) {
            if (missing(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** NoSuchKey, or a bodiless 404 (HeadObject) that is not about the bucket. */
    private static boolean missing(ObjectStoreException e) {
        if (e.getCause() instanceof NoSuchKeyException) {
            return true;
        }
        return e.getCause() instanceof S3Exception s3 && s3.statusCode() == 404
                && !"NoSuchBucket".equals(e.errorCode());
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws ObjectStoreException;
    }

    @Override
    public void abortQuietly(InputStream in) {
        if (in instanceof ResponseInputStream<?> r) {
            r.abort();
        }
        try {
            in.close();
        } catch (IOException | RuntimeException e) {
            // aborted: nothing more to release
        }
    }
}
