package io.backbus.uploader.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbus.repository.ObjectStoreException;
import io.backbus.testsupport.TestServers;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * SSE-KMS on the uploader's writes ({@code backbus.uploader.s3.sse}), against S3Mock. S3Mock records the SSE
 * algorithm of a PutObject and answers it on HeadObject (not that of a multipart upload), and it refuses every KMS key id it was not started with
 * ({@code KMS.NotFoundException}) and the shared harness starts it with none; so the key-id header is checked on
 * the wire by a request-capturing SDK interceptor (after signing, what goes to S3), and by S3Mock's refusal naming it.
 */
class ServerSideEncryptionIT {

    private static final String BUCKET = "sse-it";
    private static final int PART = 5 * 1024 * 1024;
    private static final S3Retry RETRY = new S3Retry(1, Duration.ZERO, Duration.ZERO);
    private static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-aaaa-bbbb-cccc-000011112222";

    /** Each request as sent: operation and its SSE headers. */
    record Sent(String operation, Map<String, List<String>> headers) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private S3Client s3;

    @BeforeAll
    static void bucket() {
        TestServers.get().createBucket(BUCKET);
    }

    @AfterEach
    void close() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void awsKmsWithoutKeyIdIsAskedOfSingleAndMultipartWritesAndS3StoresItSo() throws IOException {
        s3 = client(new ServerSideEncryptionRequests("aws:kms", null));
        S3ArtifactStore store = new S3ArtifactStore(s3, BUCKET, PART, 2, RETRY, n -> { });
        String small = "sse/" + UUID.randomUUID() + "/manifest.json";
        String large = "sse/" + UUID.randomUUID() + "/artifact.enc";

        store.put(small, "{}".getBytes(), "application/json");
        try (var out = store.openUpload(large, 2L * PART + 10, "application/octet-stream")) {
            out.write(bytes(2 * PART + 10));
        }

        assertThat(sent).filteredOn(s -> s.operation().equals("PutObject") || s.operation().equals(
                "CreateMultipartUpload")).hasSize(2).allSatisfy(s -> {
                    assertThat(s.header("x-amz-server-side-encryption")).isEqualTo("aws:kms");
                    assertThat(s.header("x-amz-server-side-encryption-aws-kms-key-id")).isNull();
                });
        // parts inherit the upload's encryption; S3 refuses SSE headers on UploadPart
        assertThat(sent).filteredOn(s -> s.operation().equals("UploadPart")).hasSize(3)
                .allSatisfy(s -> assertThat(s.header("x-amz-server-side-encryption")).isNull());
        // S3Mock keeps the algorithm of a PutObject (not of a completed multipart upload: that one the wire shows)
        HeadObjectResponse head = TestServers.get().s3Client().headObject(b -> b.bucket(BUCKET).key(small));
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
    }

    @Test
    void aKmsKeyIdGoesOnEveryWriteThatStartsAnObject() {
        s3 = client(new ServerSideEncryptionRequests("aws:kms", KEY_ARN));
        S3ArtifactStore store = new S3ArtifactStore(s3, BUCKET, PART, 2, RETRY, n -> { });

        // S3Mock knows no KMS key: its refusal shows the key id reached it
        assertThatThrownBy(() -> store.put("sse/" + UUID.randomUUID() + "/manifest.json", "{}".getBytes(),
                "application/json")).isInstanceOf(ObjectStoreException.class).hasMessageContaining("KMS.NotFoundException");
        assertThatThrownBy(() -> {
            try (var out = store.openUpload("sse/" + UUID.randomUUID() + "/artifact.enc", 2L * PART, "x")) {
                out.write(bytes(PART + 1));
            }
        }).hasMessageContaining("CreateMultipartUpload").hasMessageContaining("KMS.NotFoundException");

        assertThat(sent).extracting(Sent::operation).containsExactly("PutObject", "CreateMultipartUpload");
        assertThat(sent).allSatisfy(s -> {
            assertThat(s.header("x-amz-server-side-encryption")).isEqualTo("aws:kms");
            assertThat(s.header("x-amz-server-side-encryption-aws-kms-key-id")).isEqualTo(KEY_ARN);
        });
    }

    private S3Client client(ExecutionInterceptor sse) {
        ExecutionInterceptor capture = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                String operation = context.request().getClass().getSimpleName().replaceFirst("Request$", "");
                sent.add(new Sent(operation, context.httpRequest().headers()));
            }
        };
        return S3Client.builder()
                .endpointOverride(TestServers.get().s3Endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(sse).addExecutionInterceptor(capture))
                .build();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
