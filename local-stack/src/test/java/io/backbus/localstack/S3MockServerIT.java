package io.backbus.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class S3MockServerIT {

    @Test
    void putAndGetAnObject() throws Exception {
        Path home = Files.createTempDirectory("backbus-s3-it");
        try (S3MockServer s3 = S3MockServer.start(home.resolve("store"), FreePorts.pick(), false, "preexisting");
                S3Client client = S3Client.builder()
                        .endpointOverride(s3.endpoint())
                        .region(Region.US_EAST_1)
                        .forcePathStyle(true)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                        .httpClientBuilder(ApacheHttpClient.builder())
                        .build()) {
            assertThat(s3.endpoint().toString()).startsWith("http://127.0.0.1:");
            client.createBucket(b -> b.bucket("it-bucket"));
            client.putObject(b -> b.bucket("it-bucket").key("dir/hello.txt"), RequestBody.fromString("hello s3"));
            String body = client.getObjectAsBytes(b -> b.bucket("it-bucket").key("dir/hello.txt")).asUtf8String();
            assertThat(body).isEqualTo("hello s3");
            assertThat(client.listBuckets().buckets()).extracting(b -> b.name())
                    .contains("preexisting", "it-bucket");
            assertThat(home.resolve("s3mock.log")).exists();
        } finally {
            TempDirs.deleteRecursively(home);
        }
    }
}
