package io.backbus.crypto;

import static io.backbus.crypto.CipherRoundTrips.decrypt;
import static io.backbus.crypto.CipherRoundTrips.encrypt;
import static io.backbus.crypto.CipherRoundTrips.randomBytes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysetStoreTest {

    private static final String OBJECT_KEY = "targets/orders/2026/11/23/run/artifact.enc";

    @TempDir
    Path dir;

    private KeysetStore store;
    private ArtifactCipher cipher;

    @BeforeEach
    void openStore() {
        store = KeysetStore.openOrCreate(dir.resolve("keys/master-key.json"), dir.resolve("keys/keyset.json"));
        cipher = new ArtifactCipher(store);
    }

    @Test
    void keyFilesAreOwnerOnlyAndTheKeysetIsEncrypted() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.masterKeyFile())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.keysetFile())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.keysetFile().getParent())))
                .isEqualTo("rwx------");

        store.rotate();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.keysetFile())))
                .isEqualTo("rw-------");
        String keyset = Files.readString(store.keysetFile());
        assertThat(keyset).contains("encryptedKeyset").doesNotContain("\"value\"");
        String masterKey = Files.readString(store.masterKeyFile());
        assertThat(masterKey).contains("AesGcmKey");
        try (var files = Files.list(store.keysetFile().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("master-key.json",
                    "keyset.json");
        }
    }

    @Test
    void reopeningReadsTheSameKeys() throws IOException {
        byte[] plaintext = randomBytes(10_000);
        byte[] ciphertext = encrypt(cipher, plaintext, OBJECT_KEY);
        String masterKey = Files.readString(store.masterKeyFile());
        String keyset = Files.readString(store.keysetFile());

        KeysetStore reopened = KeysetStore.openOrCreate(store.masterKeyFile(), store.keysetFile());

        assertThat(reopened.primaryKeyId()).isEqualTo(store.primaryKeyId());
        assertThat(decrypt(new ArtifactCipher(reopened), ciphertext, OBJECT_KEY)).isEqualTo(plaintext);
        assertThat(Files.readString(store.masterKeyFile())).isEqualTo(masterKey);
        assertThat(Files.readString(store.keysetFile())).isEqualTo(keyset);
    }

    @Test
    void anotherMasterKeyCannotOpenTheKeyset() throws IOException {
        Path otherMaster = dir.resolve("other/master-key.json");
        KeysetStore.openOrCreate(otherMaster, dir.resolve("other/keyset.json"));

        assertThatThrownBy(() -> KeysetStore.openOrCreate(otherMaster, store.keysetFile()))
                .isInstanceOf(KeyHandlingException.class)
                .hasMessageContaining(store.keysetFile().toString());
    }

    @Test
    void refusesToCreateAMasterKeyForAnExistingKeyset() throws IOException {
        Files.delete(store.masterKeyFile());

        assertThatThrownBy(() -> KeysetStore.openOrCreate(store.masterKeyFile(), store.keysetFile()))
                .isInstanceOf(KeyHandlingException.class)
                .hasMessageContaining("master key file");
        assertThat(store.masterKeyFile()).doesNotExist();
    }

    @Test
    void toStringShowsNoKeyMaterial() throws IOException {
        String masterKey = Files.readString(store.masterKeyFile());
        String secret = masterKey.replaceAll("(?s).*\"value\"\\s*:\\s*\"([^\"]+)\".*", "$1");

        assertThat(store.toString()).contains(store.primaryKeyId()).doesNotContain(secret);
    }

}
