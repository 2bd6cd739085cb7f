package io.backbus.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactCipherTest {

    private static final String OBJECT_KEY = "targets/orders/2026/11/23/3f1c2a9e-6b7d-4c1e-9a2b-5d8e7f6a1b2c/artifact.enc";

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
    void roundTripsSeveralMegabytesThroughStreams() throws IOException {
        byte[] plaintext = randomBytes(3 * 1024 * 1024 + 12345);

        byte[] ciphertext = encrypt(cipher, plaintext, OBJECT_KEY);

        assertThat(ciphertext.length).isGreaterThan(plaintext.length);
        assertThat(decrypt(cipher, ciphertext, OBJECT_KEY)).isEqualTo(plaintext);
        assertThat(cipher.scheme()).isEqualTo("tink-streaming-aead/AES256_GCM_HKDF_1MB");
        assertThat(cipher.keyId()).isEqualTo(store.primaryKeyId()).matches("\\d+");
    }

    @Test
    void ciphertextDoesNotContainThePlaintext() throws IOException {
        byte[] plaintext = "CANARY-the-plaintext-must-not-leak-CANARY".repeat(1000).getBytes(StandardCharsets.UTF_8);

        String ciphertext = new String(encrypt(cipher, plaintext, OBJECT_KEY), StandardCharsets.ISO_8859_1);

        assertThat(ciphertext).doesNotContain("CANARY");
    }

    @Test
    void ciphertextMovedToAnotherObjectKeyFailsToDecrypt() throws IOException {
        byte[] ciphertext = encrypt(cipher, randomBytes(100_000), OBJECT_KEY);

        assertThatThrownBy(() -> decrypt(cipher, ciphertext, OBJECT_KEY.replace("orders", "billing")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void flippedByteFailsToDecrypt() throws IOException {
        byte[] ciphertext = encrypt(cipher, randomBytes(2 * 1024 * 1024), OBJECT_KEY);
        ciphertext[ciphertext.length / 2] ^= 0x01;

        assertThatThrownBy(() -> decrypt(cipher, ciphertext, OBJECT_KEY)).isInstanceOf(IOException.class);
    }

    @Test
    void truncatedCiphertextFailsToDecrypt() throws IOException {
        byte[] ciphertext = encrypt(cipher, randomBytes(2 * 1024 * 1024), OBJECT_KEY);
        byte[] truncated = java.util.Arrays.copyOf(ciphertext, 1024 * 1024 + 100);

        assertThatThrownBy(() -> decrypt(cipher, truncated, OBJECT_KEY)).isInstanceOf(IOException.class);
    }

    @Test
    void rotationKeepsOldCiphertextsDecryptable() throws IOException {
        byte[] oldPlaintext = randomBytes(50_000);
        String oldKeyId = store.primaryKeyId();
        byte[] oldCiphertext = encrypt(cipher, oldPlaintext, OBJECT_KEY);

        String newKeyId = store.rotate();

        assertThat(newKeyId).isNotEqualTo(oldKeyId).isEqualTo(store.primaryKeyId()).isEqualTo(cipher.keyId());
        assertThat(store.keyIds()).containsExactly(oldKeyId, newKeyId);
        byte[] newPlaintext = randomBytes(50_000);
        byte[] newCiphertext = encrypt(cipher, newPlaintext, OBJECT_KEY);
        assertThat(decrypt(cipher, oldCiphertext, OBJECT_KEY)).isEqualTo(oldPlaintext);

        // a process opening the rotated files later reads both keys
        KeysetStore reopened = KeysetStore.openOrCreate(store.masterKeyFile(), store.keysetFile());
        ArtifactCipher reopenedCipher = new ArtifactCipher(reopened);
        assertThat(reopened.primaryKeyId()).isEqualTo(newKeyId);
        assertThat(decrypt(reopenedCipher, oldCiphertext, OBJECT_KEY)).isEqualTo(oldPlaintext);
        assertThat(decrypt(reopenedCipher, newCiphertext, OBJECT_KEY)).isEqualTo(newPlaintext);
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

    private static byte[] encrypt(ArtifactCipher cipher, byte[] plaintext, String objectKey) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = cipher.encryptingStream(sink, objectKey)) {
            // odd-sized writes cross segment boundaries
            for (int off = 0; off < plaintext.length; off += 70_001) {
                out.write(plaintext, off, Math.min(70_001, plaintext.length - off));
            }
        }
        return sink.toByteArray();
    }

    private static byte[] decrypt(ArtifactCipher cipher, byte[] ciphertext, String objectKey) throws IOException {
        try (InputStream in = cipher.decryptingStream(new ByteArrayInputStream(ciphertext), objectKey)) {
            return in.readAllBytes();
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }
}
