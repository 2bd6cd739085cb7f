package io.backbus.crypto;

import static io.backbus.crypto.CipherRoundTrips.decrypt;
import static io.backbus.crypto.CipherRoundTrips.encrypt;
import static io.backbus.crypto.CipherRoundTrips.randomBytes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

}
