package io.backbus.uploader.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class S3ArtifactStoreTest {

    @Test
    void partSizeGrowsSoHugeArtifactsFitInTenThousandParts() {
        S3ArtifactStore store = new S3ArtifactStore(null, "b", 16 * 1024 * 1024, 4, S3Retry.once(), n -> { });
        long fiveTerabytes = 5L * 1024 * 1024 * 1024 * 1024;

        assertThat(store.partSizeFor(1024)).isEqualTo(16 * 1024 * 1024);
        int part = store.partSizeFor(fiveTerabytes);
        assertThat((double) fiveTerabytes * 1.001 / part).isLessThan(MultipartUploadOutputStream.MAX_PARTS);
        assertThat(part % (1024 * 1024)).isZero();
    }
}
