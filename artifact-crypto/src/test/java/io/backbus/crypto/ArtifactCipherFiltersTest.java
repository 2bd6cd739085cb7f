package io.backbus.crypto;

import static io.backbus.crypto.CipherRoundTrips.randomBytes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbus.streams.ByteCount;
import io.backbus.streams.EndpointFailedException;
import io.backbus.streams.InputPipeline;
import io.backbus.streams.OutputPipeline;
import io.backbus.streams.PipelineInputStream;
import io.backbus.streams.Sha256Digest;
import io.backbus.streams.Zstd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cipher as artifact-streams filters: the uploader's backup and restore pipelines. */
class ArtifactCipherFiltersTest {

    private static final String OBJECT_KEY = "targets/orders/2026/11/23/3f1c2a9e-6b7d-4c1e-9a2b-5d8e7f6a1b2c/artifact.enc";

    @TempDir
    Path dir;

    private ArtifactCipher cipher;
    private final byte[] plaintext = randomBytes(2 * 1024 * 1024 + 4321);

    @BeforeEach
    void openStore() {
        cipher = new ArtifactCipher(KeysetStore.openOrCreate(dir.resolve("keys/master-key.json"),
                dir.resolve("keys/keyset.json")));
    }

    @Test
    void roundTripsWithDigestsOnBothSidesOfTheCipher() throws Exception {
        Sha256Digest plainDigest = new Sha256Digest();
        Sha256Digest cipherDigest = new Sha256Digest();
        ByteCount cipherCount = new ByteCount();
        ByteArrayOutputStream bucket = new ByteArrayOutputStream();
        try (OutputStream out = OutputPipeline.of(plainDigest, cipher.encryption(OBJECT_KEY), cipherCount,
                cipherDigest).into(bucket)) {
            write(out, plaintext);
        }
        byte[] ciphertext = bucket.toByteArray();

        Sha256Digest readCipher = new Sha256Digest();
        Sha256Digest readPlain = new Sha256Digest();
        byte[] restored;
        try (InputStream in = InputPipeline.of(readCipher, cipher.decryption(OBJECT_KEY), readPlain)
                .from(new ByteArrayInputStream(ciphertext))) {
            restored = in.readAllBytes();
        }

        assertThat(restored).isEqualTo(plaintext);
        assertThat(plainDigest.hex()).isEqualTo(sha256(plaintext)).isEqualTo(readPlain.hex());
        assertThat(cipherDigest.hex()).isEqualTo(sha256(ciphertext)).isEqualTo(readCipher.hex());
        assertThat(cipherCount.bytes()).isEqualTo(ciphertext.length).isGreaterThan(plaintext.length);
    }

    @Test
    void theUploadersCompositionKnowsThePlaintextDigestBeforeTheUploadIsCompleted() throws Exception {
        boolean[] completed = {false};
        ByteArrayOutputStream upload = new ByteArrayOutputStream() {
            @Override
            public void close() {
                completed[0] = true; // closing a multipart upload completes it
            }
        };
        Sha256Digest plain = new Sha256Digest();
        ByteCount plainSize = new ByteCount();
        PipelineInputStream body = InputPipeline.of(plainSize, plain).from(new ByteArrayInputStream(plaintext));
        OutputStream out = OutputPipeline.of(cipher.encryption(OBJECT_KEY)).into(upload);

        body.transferTo(out);

        assertThat(plain.hex()).isEqualTo(sha256(plaintext));
        assertThat(plainSize.bytes()).isEqualTo(plaintext.length);
        assertThat(completed[0]).as("checked before the upload is completed").isFalse();
        out.close();
        assertThat(completed[0]).isTrue();
        assertThat(cipher.decryptingStream(new ByteArrayInputStream(upload.toByteArray()), OBJECT_KEY)
                .readAllBytes()).isEqualTo(plaintext);
    }

    @Test
    void compressesBeforeEncryptingAndDecompressesAfterDecrypting() throws Exception {
        byte[] text = new byte[1024 * 1024];
        Arrays.fill(text, (byte) 'x');
        ByteArrayOutputStream bucket = new ByteArrayOutputStream();
        try (OutputStream out = OutputPipeline.of(Zstd.compress(3), cipher.encryption(OBJECT_KEY)).into(bucket)) {
            write(out, text);
        }

        byte[] restored;
        try (InputStream in = InputPipeline.of(cipher.decryption(OBJECT_KEY), Zstd.decompress())
                .from(new ByteArrayInputStream(bucket.toByteArray()))) {
            restored = in.readAllBytes();
        }

        // compressed first: ciphertext does not compress
        assertThat(bucket.size()).isLessThan(text.length / 100);
        assertThat(restored).isEqualTo(text);
    }

    @Test
    void aCiphertextUnderAnotherObjectKeyDoesNotDecrypt() throws Exception {
        byte[] ciphertext = encrypt(plaintext);

        PipelineInputStream in = InputPipeline.of(cipher.decryption(OBJECT_KEY + ".moved"))
                .from(new ByteArrayInputStream(ciphertext));

        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
        assertThat(in.sourceFailure()).as("the bytes are at fault, not the source").isEmpty();
    }

    @Test
    void aTamperedCiphertextFailsAndIsNotTakenForAFailingSource() throws Exception {
        byte[] ciphertext = encrypt(plaintext);
        ciphertext[ciphertext.length / 2] ^= 0x01;

        PipelineInputStream in = InputPipeline.of(cipher.decryption(OBJECT_KEY))
                .from(new ByteArrayInputStream(ciphertext));

        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                .isNotInstanceOf(EndpointFailedException.class);
        assertThat(in.sourceFailure()).isEmpty();
    }

    @Test
    void aTruncatedCiphertextFails() throws Exception {
        byte[] ciphertext = encrypt(plaintext);

        PipelineInputStream in = InputPipeline.of(cipher.decryption(OBJECT_KEY))
                .from(new ByteArrayInputStream(Arrays.copyOf(ciphertext, ciphertext.length - 1)));

        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
        assertThat(in.sourceFailure()).isEmpty();
    }

    @Test
    void aSourceFailingUnderTheCipherIsRememberedWhateverTinkReports() throws Exception {
        byte[] ciphertext = encrypt(plaintext);
        IOException reset = new IOException("Connection reset");
        InputStream dropping = new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position >= ciphertext.length / 3) {
                    throw reset;
                }
                int n = Math.min(len, ciphertext.length / 3 - position);
                System.arraycopy(ciphertext, position, b, off, n);
                position += n;
                return n;
            }
        };

        PipelineInputStream in = InputPipeline.of(cipher.decryption(OBJECT_KEY)).from(dropping);

        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
        assertThat(in.sourceFailure()).get().extracting(EndpointFailedException::failure).isSameAs(reset);
    }

    @Test
    void refusesAnEmptyObjectKeyWhenComposing() {
        assertThatThrownBy(() -> cipher.encryption("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cipher.decryption(null)).isInstanceOf(IllegalArgumentException.class);
    }

    private byte[] encrypt(byte[] bytes) throws IOException {
        ByteArrayOutputStream bucket = new ByteArrayOutputStream();
        try (OutputStream out = OutputPipeline.of(cipher.encryption(OBJECT_KEY)).into(bucket)) {
            write(out, bytes);
        }
        return bucket.toByteArray();
    }

    private static void write(OutputStream out, byte[] bytes) throws IOException {
        // odd-sized writes cross segment boundaries
        for (int off = 0; off < bytes.length; off += 70_001) {
            out.write(bytes, off, Math.min(70_001, bytes.length - off));
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
