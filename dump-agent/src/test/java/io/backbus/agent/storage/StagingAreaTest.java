package io.backbus.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingAreaTest {

    @TempDir
    Path tmp;

    @Test
    void createsAMissingDirectoryOwnerOnly() throws Exception {
        StagingArea staging = StagingArea.open(tmp.resolve("a/b/staging"));

        assertThat(staging.dir()).isDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(staging.dir()))).isEqualTo("rwx------");
    }

    @Test
    void failsTheStartNamingThePropertyWhenTheDirectoryCannotBeUsed() throws Exception {
        Path file = Files.createFile(tmp.resolve("a-file"));

        assertThatThrownBy(() -> StagingArea.open(file.resolve("staging")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("backbus.agent.staging-dir " + file.resolve("staging")
                        + " is not a writable directory");
    }

    @Test
    void keepsOneGeneratedSigningKeyInAnOwnerOnlyFile() throws Exception {
        byte[] first = StagingArea.open(tmp).loadOrCreateSigningKey();
        byte[] again = StagingArea.open(tmp).loadOrCreateSigningKey();

        assertThat(first).hasSize(32).isEqualTo(again);
        Path file = tmp.resolve(StagingArea.SIGNING_KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var leftovers = Files.list(tmp)) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void writesPartialFilesOwnerOnlyAndPromotesThem() throws Exception {
        StagingArea staging = StagingArea.open(tmp);
        UUID runId = UUID.randomUUID();
        try (OutputStream out = staging.openForWrite(staging.partialFile(runId))) {
            out.write("dump".getBytes());
        }

        Path file = staging.promote(runId);

        assertThat(file).isEqualTo(tmp.resolve(runId + ".dump")).hasContent("dump");
        assertThat(staging.partialFile(runId)).doesNotExist();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void namesFilesWithTheFormatsSuffix() throws Exception {
        StagingArea staging = StagingArea.open(tmp, ".dump.zst");
        UUID runId = UUID.randomUUID();
        try (OutputStream out = staging.openForWrite(staging.partialFile(runId))) {
            out.write("zst".getBytes());
        }

        assertThat(staging.partialFile(runId)).isEqualTo(tmp.resolve(runId + ".dump.zst.partial"));
        assertThat(staging.promote(runId)).isEqualTo(tmp.resolve(runId + ".dump.zst")).hasContent("zst");
    }

    @Test
    void deletesStalePartialFilesOfAnyFormat() throws Exception {
        StagingArea staging = StagingArea.open(tmp, ".dump.zst");
        Path zst = Files.writeString(tmp.resolve(UUID.randomUUID() + ".dump.zst.partial"), "x");
        Path plain = Files.writeString(tmp.resolve(UUID.randomUUID() + ".dump.partial"), "x");
        Path staged = Files.writeString(tmp.resolve(UUID.randomUUID() + ".dump.zst"), "x");

        assertThat(staging.deleteStalePartials(java.time.Instant.now().plusSeconds(60))).isEqualTo(2);

        assertThat(zst).doesNotExist();
        assertThat(plain).doesNotExist();
        assertThat(staged).exists();
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        StagingArea staging = StagingArea.open(tmp);
        OutputStream out = staging.openForWrite(staging.partialFile(UUID.randomUUID()));
        out.close();
        out.close();
    }

    @Test
    void deletesLeftoverRestoreFilesAndNothingElse() throws Exception {
        StagingArea staging = StagingArea.open(tmp, ".dump.zst");
        UUID restoreId = UUID.randomUUID();
        Path leftover = staging.restoreFile(restoreId);
        assertThat(leftover).isEqualTo(tmp.resolve(restoreId + ".restore.dump"));
        Files.writeString(leftover, "archive");
        Path artifact = Files.writeString(staging.artifactFile(UUID.randomUUID()), "dump");
        Path partial = Files.writeString(staging.partialFile(UUID.randomUUID()), "dump");

        assertThat(staging.deleteRestoreLeftovers()).isEqualTo(1);

        assertThat(leftover).doesNotExist();
        assertThat(artifact).exists();
        assertThat(partial).exists();
        assertThat(staging.deleteRestoreLeftovers()).isZero();
    }
}
