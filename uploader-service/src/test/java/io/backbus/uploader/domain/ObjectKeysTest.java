package io.backbus.uploader.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {

    @Test
    void dateIsTheDumpStartInUtc() {
        UUID runId = UUID.fromString("3f1c2a9e-6b7d-4c1e-9a2b-5d8e7f6a1b2c");

        // 23:30 in New York on the 22nd is already the 23rd in UTC
        ObjectKeys keys = ObjectKeys.of("orders", Instant.parse("2026-11-23T04:30:00Z"), runId);

        assertThat(keys.artifactKey())
                .isEqualTo("targets/orders/2026/11/23/3f1c2a9e-6b7d-4c1e-9a2b-5d8e7f6a1b2c/artifact.enc");
        assertThat(keys.manifestKey())
                .isEqualTo("targets/orders/2026/11/23/3f1c2a9e-6b7d-4c1e-9a2b-5d8e7f6a1b2c/manifest.json");
    }

    @Test
    void aRunMapsToOneBackupId() {
        UUID runId = UUID.randomUUID();

        assertThat(ArtifactUploadService.backupIdOf(runId)).isEqualTo(ArtifactUploadService.backupIdOf(runId))
                .isNotEqualTo(ArtifactUploadService.backupIdOf(UUID.randomUUID()));
    }
}
