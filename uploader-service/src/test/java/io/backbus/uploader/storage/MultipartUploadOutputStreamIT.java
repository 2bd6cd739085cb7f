package io.backbus.uploader.storage;

import io.backbus.repository.ObjectStoreException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbus.testsupport.TestServers;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Against the real S3 mock: parallel part upload, completion, and that no failure leaves an upload behind. */
class MultipartUploadOutputStreamIT {

    private static final String BUCKET = "multipart-it";
    private static final int PART = 5 * 1024 * 1024;
    private static final S3Retry RETRY = new S3Retry(3, Duration.ofMillis(10), Duration.ofMillis(40));

    private static S3Client s3;

    @BeforeAll
    static void bucket() {
        TestServers servers = TestServers.get();
        servers.createBucket(BUCKET);
        s3 = servers.s3Client();
    }

    @Test
    void uploadsPartByPartAndCompletesOnClose() throws IOException {
        String key = key();
        byte[] content = bytes(2 * PART + 12_345);
        var out = stream(key);

        out.write(content, 0, PART + 1);
        // the first full part started the multipart upload; it is uploading in the background
        assertThat(pendingUploads(key)).hasSize(1);
        out.write(content, PART + 1, content.length - PART - 1);
        out.close();

        assertThat(out.completed()).isTrue();
        assertThat(out.partsUploaded()).isEqualTo(3);
        assertThat(out.bytesWritten()).isEqualTo(content.length);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray()).isEqualTo(content);
        assertThat(pendingUploads(key)).isEmpty();
    }

    @Test
    void storesAnObjectSmallerThanAPartWithoutMultipart() throws IOException {
        String key = key();
        byte[] content = bytes(1000);
        var out = stream(key);

        out.write(content);
        out.close();

        assertThat(out.partsUploaded()).isZero();
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray()).isEqualTo(content);
    }

    @Test
    void exactMultipleOfThePartSizeCompletesWithoutAnEmptyPart() throws IOException {
        String key = key();
        byte[] content = bytes(2 * PART);
        var out = stream(key);

        out.write(content);
        out.close();

        assertThat(out.partsUploaded()).isEqualTo(2);
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key(key)).contentLength()).isEqualTo(content.length);
    }

    @Test
    void abortAfterSomePartsLeavesNoObjectAndNoUpload() throws IOException {
        String key = key();
        var out = stream(key);
        out.write(bytes(2 * PART + 10));
        assertThat(pendingUploads(key)).hasSize(1);

        out.abort();

        assertThat(pendingUploads(key)).isEmpty();
        assertNoObject(key);
        assertThatThrownBy(out::close).isInstanceOf(IOException.class).hasMessageContaining("aborted");
        assertNoObject(key);
    }

    @Test
    void failingPartAbortsTheUploadAndCloseDoesNotComplete() throws IOException {
        String key = key();
        var out = stream(key);
        out.write(bytes(PART + 10));
        // the upload vanishes under the writer (as after a lifecycle rule or an operator's abort)
        String uploadId = pendingUploads(key).get(0).uploadId();
        s3.abortMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId));

        // whichever part reaches S3 first after the abort fails (parts upload in parallel, so it may be 1, 2 or
        // the final part sent by close): with NoSuchUpload, or, when S3Mock was writing that part as the abort came,
        // with a 200 that carries no ETag. The writer learns of it by its next write or close at the latest
        assertThatThrownBy(() -> {
            out.write(bytes(PART));
            out.close();
        }).isInstanceOfSatisfying(ObjectStoreException.class, e -> {
            assertThat(e.getMessage()).containsPattern("UploadPart [123] of " + key + " failed: (NoSuchUpload|NoETag)");
            assertThat(e.retryable()).isFalse();
        });

        assertThatThrownBy(out::close).isInstanceOf(IOException.class);
        assertThat(pendingUploads(key)).isEmpty();
        assertNoObject(key);
    }

    @Test
    void missingBucketFailsWithTheS3ErrorCodeAndNothingPending() {
        String key = key();
        var out = new MultipartUploadOutputStream(s3, "no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8),
                key, PART, "application/octet-stream", 2, RETRY, null);

        assertThatThrownBy(() -> out.write(bytes(PART)))
                .isInstanceOfSatisfying(ObjectStoreException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("NoSuchBucket");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).startsWith("CreateMultipartUpload " + key + " failed: NoSuchBucket");
                });
        assertThatThrownBy(out::close).isInstanceOf(IOException.class);
    }

    @Test
    void manyPartsInParallelArriveInOrder() throws IOException {
        String key = key();
        byte[] content = bytes(7 * PART + 99);
        var out = stream(key);

        for (int off = 0; off < content.length; off += 100_000) {
            out.write(content, off, Math.min(100_000, content.length - off));
        }
        out.close();

        assertThat(out.partsUploaded()).isEqualTo(8);
        assertThat(out.buffersAllocated()).isLessThanOrEqualTo(4);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray()).isEqualTo(content);
    }

    private static MultipartUploadOutputStream stream(String key) {
        // retries would only slow down the failures these tests provoke (all 4xx anyway)
        return new MultipartUploadOutputStream(s3, BUCKET, key, PART, "application/octet-stream", 3, RETRY, null);
    }

    private static List<MultipartUpload> pendingUploads(String key) {
        return s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix(key)).uploads();
    }

    private static void assertNoObject(String key) {
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key(key))).isInstanceOf(NoSuchKeyException.class);
    }

    private static String key() {
        return "it/" + UUID.randomUUID() + "/artifact.enc";
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
