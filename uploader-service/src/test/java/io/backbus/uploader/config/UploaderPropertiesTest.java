package io.backbus.uploader.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class UploaderPropertiesTest {

    @Test
    void defaults() {
        UploaderProperties p = with(null, null, null, null, null, null);

        assertThat(p.bucket()).isEqualTo("backbus-backups");
        assertThat(p.createBucket()).isTrue();
        assertThat(p.partSize()).isEqualTo(DataSize.ofMegabytes(8));
        assertThat(p.uploadParallelism()).isEqualTo(4);
        assertThat(p.partAttempts()).isEqualTo(4);
        assertThat(p.partBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(p.partBackoffMax()).isEqualTo(Duration.ofSeconds(8));
        assertThat(p.pullAttempts()).isEqualTo(3);
        assertThat(p.pullBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.pullIdleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.progressInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.masterKeyFile()).isEqualTo(Path.of("data/keys/master-key.json"));
        assertThat(p.keysetFile()).isEqualTo(Path.of("data/keys/keyset.json"));
        assertThat(p.fileRoots()).isEmpty();
        assertThat(p.streaming()).isTrue();
        assertThat(p.streamingWait()).isEqualTo(Duration.ofMinutes(10));
        // four parts in flight and one being filled
        assertThat(p.uploadMemoryBound()).isEqualTo(5 * 8L * 1024 * 1024);
    }

    @Test
    void partSizeBelowTheS3MinimumIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> with(null, DataSize.ofMegabytes(4), null, null, null, null))
                .hasMessageContaining("backbus.uploader.part-size");
        assertThat(with(null, DataSize.ofMegabytes(5), null, null, null, null).partSize())
                .isEqualTo(DataSize.ofMegabytes(5));
    }

    @Test
    void pullAttemptsAndBucketAreChecked() {
        assertThatThrownBy(() -> with(null, null, null, null, 0, null))
                .hasMessageContaining("backbus.uploader.pull-attempts");
        assertThatThrownBy(() -> with("Not_A_Bucket", null, null, null, null, null))
                .hasMessageContaining("backbus.uploader.bucket");
    }

    @Test
    void parallelismAttemptsAndIdleTimeoutAreChecked() {
        assertThatThrownBy(() -> with(null, null, 0, null, null, null))
                .hasMessageContaining("backbus.uploader.upload-parallelism");
        assertThatThrownBy(() -> with(null, null, null, 0, null, null))
                .hasMessageContaining("backbus.uploader.part-attempts");
        assertThatThrownBy(() -> with(null, null, null, null, null, Duration.ZERO))
                .hasMessageContaining("backbus.uploader.pull-idle-timeout");
    }

    private static UploaderProperties with(String bucket, DataSize partSize, Integer parallelism,
            Integer partAttempts, Integer pullAttempts, Duration idleTimeout) {
        return new UploaderProperties(bucket, null, partSize, parallelism, partAttempts, null, null, pullAttempts,
                null, null, idleTimeout, null, null, null, null, null, null, null);
    }
}
