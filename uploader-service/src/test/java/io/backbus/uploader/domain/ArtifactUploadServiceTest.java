package io.backbus.uploader.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ArtifactUploadServiceTest {

    @Test
    void aRunMapsToOneBackupId() {
        UUID runId = UUID.randomUUID();

        assertThat(ArtifactUploadService.backupIdOf(runId)).isEqualTo(ArtifactUploadService.backupIdOf(runId))
                .isNotEqualTo(ArtifactUploadService.backupIdOf(UUID.randomUUID()));
    }
}
