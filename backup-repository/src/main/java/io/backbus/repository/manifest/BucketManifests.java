package io.backbus.repository.manifest;

import io.backbus.repository.ObjectStoreException;
import io.backbus.repository.layout.RepositoryLayout;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The manifests in a bucket, found by listing {@link RepositoryLayout#TARGETS}. The S3 client is obtained on first
 * use, so a service can start without the object store.
 */
public class BucketManifests implements ManifestSource {

    private final Supplier<S3Client> s3;
    private final String bucket;
    private final String location;
    private final int pageSize;

    /**
     * @param s3       the client, created on first use
     * @param endpoint for messages: the endpoint, or null for AWS S3
     * @param pageSize keys per ListObjectsV2 page (1..1000)
     */
    public BucketManifests(Supplier<S3Client> s3, String bucket, String endpoint, int pageSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.location = "bucket " + bucket + " at " + (endpoint == null ? "AWS S3" : endpoint);
        this.pageSize = pageSize;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public List<String> manifestKeys() throws ObjectStoreException {
        try {
            List<String> keys = new ArrayList<>();
            // the paginator follows the continuation tokens
            for (S3Object object : s3.get().listObjectsV2Paginator(r -> r.bucket(bucket)
                    .prefix(RepositoryLayout.TARGETS).maxKeys(pageSize)).contents()) {
                if (RepositoryLayout.isManifestKey(object.key())) {
                    keys.add(object.key());
                }
            }
            return keys;
        } catch (SdkException e) {
            throw failure("cannot list", e);
        }
    }

    @Override
    public Optional<byte[]> read(String key, int maxBytes) throws ObjectStoreException {
        try (ResponseInputStream<GetObjectResponse> in = s3.get().getObject(r -> r.bucket(bucket).key(key))) {
            Long length = in.response().contentLength();
            if (length != null && length > maxBytes) {
                in.abort();
                throw new ManifestTooLargeException("larger than " + maxBytes + " bytes (" + length + ")");
            }
            byte[] bytes = readAtMost(in, maxBytes);
            if (bytes == null) {
                in.abort();
                throw new ManifestTooLargeException("larger than " + maxBytes + " bytes");
            }
            return Optional.of(bytes);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("cannot read " + key + " from", e);
        } catch (IOException e) {
            throw new ObjectStoreException("cannot read " + key + " from " + location + ": " + e.getMessage(), null,
                    true, true, e);
        }
    }

    /** The stream's bytes, or null if there are more than {@code max}. */
    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        byte[] bytes = in.readNBytes(max + 1);
        return bytes.length > max ? null : bytes;
    }

    private ObjectStoreException failure(String what, SdkException e) {
        if (e instanceof S3Exception s3e && s3e.awsErrorDetails() != null) {
            return new ObjectStoreException(what + " " + location + ": " + s3e.awsErrorDetails().errorCode() + " ("
                    + s3e.awsErrorDetails().errorMessage() + ", HTTP " + s3e.statusCode() + ")",
                    s3e.awsErrorDetails().errorCode(), s3e.statusCode() >= 500 || s3e.statusCode() == 429, e);
        }
        boolean unreachable = e instanceof SdkClientException;
        return new ObjectStoreException(what + " " + location + ": " + e.getMessage(), null, unreachable,
                unreachable, e);
    }
}
