package io.backbus.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbus.testsupport.FaultInjectingProxy.Fault;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The proxy against the real S3Mock: transparent by default, and each fault seen by the AWS SDK as it would be. */
class FaultInjectingProxyIT {

    private static final String BUCKET = "fault-proxy-it";
    private static FaultInjectingProxy proxy;

    @BeforeAll
    static void start() {
        TestServers.get().createBucket(BUCKET);
        proxy = FaultInjectingProxy.start(TestServers.get().s3Endpoint());
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static S3Client client(int attempts) {
        return S3Client.builder().endpointOverride(proxy.endpoint()).region(Region.of(TestServers.S3_REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)
                        .retryStrategy(b -> b.maxAttempts(attempts)))
                .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(2)))
                .build();
    }

    @Test
    void passesObjectsMultipartHeadAndErrorsThroughUnchanged() {
        byte[] part = new byte[5 * 1024 * 1024 + 17];
        new Random(1).nextBytes(part);
        proxy.clear();
        try (S3Client s3 = client(1)) {
            s3.putObject(b -> b.bucket(BUCKET).key("plain"), RequestBody.fromBytes(part));
            assertThat(s3.headObject(b -> b.bucket(BUCKET).key("plain")).contentLength()).isEqualTo(part.length);
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("plain")).asByteArray()).isEqualTo(part);
            String upload = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("multi")).uploadId();
            String etag = s3.uploadPart(b -> b.bucket(BUCKET).key("multi").uploadId(upload).partNumber(1),
                    RequestBody.fromBytes(part)).eTag();
            s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("multi").uploadId(upload)
                    .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("multi")).asByteArray()).isEqualTo(part);
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("absent")))
                    .isInstanceOf(S3Exception.class).extracting(e -> ((S3Exception) e).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void serverErrorsAndDroppedConnectionsAreRetriedBySdk() {
        try (S3Client s3 = client(4)) {
            proxy.inject(Fault.SLOW_DOWN, 2, line -> line.startsWith("PUT "));
            s3.putObject(b -> b.bucket(BUCKET).key("after-503"), RequestBody.fromString("x"));
            assertThat(proxy.hits()).isEqualTo(2);
            proxy.inject(Fault.INTERNAL_ERROR, 1, line -> line.startsWith("GET "));
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("after-503")).asUtf8String()).isEqualTo("x");
            assertThat(proxy.hits()).isEqualTo(1);
            proxy.inject(Fault.DROP_CONNECTION, 1, line -> line.startsWith("PUT "));
            s3.putObject(b -> b.bucket(BUCKET).key("after-drop"), RequestBody.fromString("y"));
            assertThat(proxy.hits()).isEqualTo(1);
        } finally {
            proxy.clear();
        }
        try (S3Client s3 = client(1)) {
            proxy.inject(Fault.INTERNAL_ERROR, 1, line -> line.startsWith("PUT "));
            assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key("no-retry"), RequestBody.fromString("z")))
                    .isInstanceOf(S3Exception.class).extracting(e -> ((S3Exception) e).statusCode()).isEqualTo(500);
        } finally {
            proxy.clear();
        }
    }

    @Test
    void aStalledBodyTimesTheClientOutMidRequest() {
        byte[] body = new byte[1024 * 1024];
        try (S3Client s3 = client(1)) {
            proxy.stallBodies(1, 64 * 1024, Duration.ofSeconds(6), line -> line.startsWith("PUT "));
            assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key("stalled"), RequestBody.fromBytes(body)))
                    .isInstanceOf(SdkClientException.class);
            assertThat(proxy.hits()).isEqualTo(1);
        } finally {
            proxy.clear();
        }
    }
}
