package io.backbus.repository.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbus.repository.ObjectStoreException;
import io.backbus.repository.S3Properties;
import io.backbus.testsupport.TestServers;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Listing and reading manifests against a real S3 server (S3Mock). */
class BucketManifestsIT {

    @Test
    void listsManifestsAcrossPagesAndTellsAMissingBucketFromAnUnreachableStore() throws Exception {
        String bucket = "repository-pages-it";
        TestServers.get().createBucket(bucket);
        S3Client s3 = TestServers.get().s3Client();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String prefix = "targets/paged/2026/11/2" + i + "/" + UUID.randomUUID() + "/";
            put(s3, bucket, prefix + "artifact.enc", "x");
            put(s3, bucket, prefix + "manifest.json", "{}");
            expected.add(prefix + "manifest.json");
        }
        put(s3, bucket, "elsewhere/manifest.json", "{}");

        BucketManifests paged = new BucketManifests(() -> s3, bucket, "test", 2);
        assertThat(paged.manifestKeys()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(paged.read(expected.get(0), 100)).hasValueSatisfying(b -> assertThat(b).hasSize(2));
        assertThat(paged.read("targets/paged/gone/manifest.json", 100)).isEmpty();
        assertThatThrownBy(() -> paged.read(expected.get(0), 1))
                .isInstanceOf(ManifestSource.ManifestTooLargeException.class);

        BucketManifests missing = new BucketManifests(() -> s3, "no-such-bucket-" + UUID.randomUUID(), "test", 2);
        assertThatThrownBy(missing::manifestKeys).isInstanceOfSatisfying(ObjectStoreException.class,
                e -> assertThat(e.unreachable()).isFalse()).hasMessageContaining("NoSuchBucket");

        String dead = "http://127.0.0.1:" + closedPort();
        try (S3Client nowhere = new S3Properties(URI.create(dead), null, "a", "b", true).clientBuilder()
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            BucketManifests unreachable = new BucketManifests(() -> nowhere, bucket, dead, 2);
            assertThatThrownBy(unreachable::manifestKeys).isInstanceOfSatisfying(ObjectStoreException.class,
                    e -> assertThat(e.unreachable()).isTrue()).hasMessageStartingWith("cannot list bucket " + bucket
                            + " at " + dead);
        }
    }

    private static void put(S3Client s3, String bucket, String key, String body) {
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(body));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
