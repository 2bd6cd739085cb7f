package io.backbus.repository.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RepositoryLayoutTest {

    private static final UUID RUN = UUID.fromString("3f1c2a9e-6b7d-4c1e-9a2b-5d8e7f6a1b2c");

    @Test
    void dateIsTheDumpStartInUtc() {
        // 23:30 in New York on the 22nd is already the 23rd in UTC
        DumpKeys keys = RepositoryLayout.dump("orders", Instant.parse("2026-11-23T04:30:00Z"), RUN);

        // byte for byte the keys of every bucket written so far
        assertThat(keys.prefix()).isEqualTo("targets/orders/2026/11/23/3f1c2a9e-6b7d-4c1e-9a2b-5d8e7f6a1b2c/");
        assertThat(keys.artifactKey())
                .isEqualTo("targets/orders/2026/11/23/3f1c2a9e-6b7d-4c1e-9a2b-5d8e7f6a1b2c/artifact.enc");
        assertThat(keys.manifestKey())
                .isEqualTo("targets/orders/2026/11/23/3f1c2a9e-6b7d-4c1e-9a2b-5d8e7f6a1b2c/manifest.json");
    }

    @Test
    void everyManifestUnderTargetsIsFoundAndNothingElse() {
        DumpKeys keys = RepositoryLayout.dump("orders", Instant.parse("2026-11-23T04:30:00Z"), RUN);

        assertThat(RepositoryLayout.isManifestKey(keys.manifestKey())).isTrue();
        assertThat(RepositoryLayout.isManifestKey("targets/odd/place/manifest.json")).isTrue();
        assertThat(RepositoryLayout.isManifestKey(keys.artifactKey())).isFalse();
        assertThat(RepositoryLayout.isManifestKey("elsewhere/manifest.json")).isFalse();
        assertThat(RepositoryLayout.isManifestKey("targets/orders/not-a-manifest.json")).isFalse();
    }
}
