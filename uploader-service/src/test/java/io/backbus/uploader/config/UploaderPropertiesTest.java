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
        UploaderProperties p = new UploaderProperties(null, null, null, null, null, null, null, null, null);

        assertThat(p.bucket()).isEqualTo("backbus-backups");
        assertThat(p.createBucket()).isTrue();
        assertThat(p.partSize()).isEqualTo(DataSize.ofMegabytes(16));
        assertThat(p.pullAttempts()).isEqualTo(3);
        assertThat(p.pullBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.masterKeyFile()).isEqualTo(Path.of("data/keys/master-key.json"));
        assertThat(p.keysetFile()).isEqualTo(Path.of("data/keys/keyset.json"));
        assertThat(p.fileRoots()).isEmpty();
    }

    @Test
    void partSizeBelowTheS3MinimumIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> new UploaderProperties(null, null, DataSize.ofMegabytes(4), null, null, null, null,
                null, null)).hasMessageContaining("backbus.uploader.part-size");
        assertThat(new UploaderProperties(null, null, DataSize.ofMegabytes(5), null, null, null, null, null, null)
                .partSize()).isEqualTo(DataSize.ofMegabytes(5));
    }

    @Test
    void pullAttemptsAndBucketAreChecked() {
        assertThatThrownBy(() -> new UploaderProperties(null, null, null, 0, null, null, null, null, null))
                .hasMessageContaining("backbus.uploader.pull-attempts");
        assertThatThrownBy(() -> new UploaderProperties("Not_A_Bucket", null, null, null, null, null, null, null,
                null)).hasMessageContaining("backbus.uploader.bucket");
    }

    @Test
    void s3KeysComeInPairsAndTheSecretIsNeverPrinted() {
        assertThatThrownBy(() -> new S3Properties(null, null, "AKIA", null, null))
                .hasMessageContaining("backbus.s3.secret-key");
        S3Properties s3 = new S3Properties(null, null, "AKIA", "very-secret", null);

        assertThat(s3.region()).isEqualTo("us-east-1");
        assertThat(s3.pathStyle()).isFalse();
        assertThat(s3.toString()).doesNotContain("very-secret");
    }
}
