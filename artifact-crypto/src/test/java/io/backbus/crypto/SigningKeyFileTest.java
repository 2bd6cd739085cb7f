package io.backbus.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyFileTest {

    @TempDir
    Path dir;

    @Test
    void generatesThirtyTwoRandomBytesOnceOwnerOnlyAndKeepsThem() throws IOException {
        Path file = dir.resolve("keys").resolve(".restore-url-signing-key");

        byte[] first = SigningKeyFile.loadOrCreate(file, "some.property");
        byte[] again = SigningKeyFile.loadOrCreate(file, "some.property");

        assertThat(first).hasSize(32).isEqualTo(again);
        assertThat(Files.readString(file, StandardCharsets.US_ASCII).strip()).isEqualTo(HexFormat.of()
                .formatHex(first));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void aKeyReadableByOthersIsMadeOwnerOnly() throws IOException {
        Path file = dir.resolve(".restore-url-signing-key");
        Files.writeString(file, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(SigningKeyFile.loadOrCreate(file, "p")).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aBrokenFileFailsNamingTheFileAndTheSetting() throws IOException {
        Path file = dir.resolve(".restore-url-signing-key");
        Files.writeString(file, "not hex at all");

        assertThatThrownBy(() -> SigningKeyFile.loadOrCreate(file, "backbus.uploader.restore.url-signing-key"))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("backbus.uploader.restore.url-signing-key")
                .hasMessageNotContaining("not hex at all");
    }
}
