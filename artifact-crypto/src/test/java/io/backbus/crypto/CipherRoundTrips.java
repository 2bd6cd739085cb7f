package io.backbus.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;

/** Encrypt/decrypt helpers shared by the cipher and keyset tests. */
final class CipherRoundTrips {

    private CipherRoundTrips() {
    }

    static byte[] encrypt(ArtifactCipher cipher, byte[] plaintext, String objectKey) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = cipher.encryptingStream(sink, objectKey)) {
            // odd-sized writes cross segment boundaries
            for (int off = 0; off < plaintext.length; off += 70_001) {
                out.write(plaintext, off, Math.min(70_001, plaintext.length - off));
            }
        }
        return sink.toByteArray();
    }

    static byte[] decrypt(ArtifactCipher cipher, byte[] ciphertext, String objectKey) throws IOException {
        try (InputStream in = cipher.decryptingStream(new ByteArrayInputStream(ciphertext), objectKey)) {
            return in.readAllBytes();
        }
    }

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }
}
