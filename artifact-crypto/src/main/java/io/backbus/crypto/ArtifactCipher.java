package io.backbus.crypto;

import io.backbus.streams.InputFilter;
import io.backbus.streams.OutputFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * Streaming, authenticated encryption of backup artifacts with the keyset of a {@link KeysetStore}: Tink
 * {@code StreamingAead} AES256_GCM_HKDF_1MB, whose associated data is the S3 object key, so a ciphertext copied or
 * moved to another key fails to decrypt. Memory use is one 1 MiB segment whatever the artifact size.
 *
 * <p>Encryption uses the keyset's primary key at the time the stream is opened; decryption finds the key among
 * all keys of the keyset, so artifacts written before a {@link KeysetStore#rotate() rotation} stay readable.
 * Integrity failures (a flipped byte, a truncated ciphertext, a wrong object key) surface as an
 * {@link IOException} while reading the decrypting stream, at the latest at its end.
 *
 * <p>In an artifact-streams pipeline use {@link #encryption(String)} and {@link #decryption(String)}: the same
 * streams as filters, e.g. {@code OutputPipeline.of(plainDigest, cipher.encryption(key), cipherDigest).into(upload)}.
 *
 * <p>Thread-safe; one instance serves any number of concurrent streams.
 */
public final class ArtifactCipher {

    /** The scheme recorded beside every artifact. */
    public static final String SCHEME = "tink-streaming-aead/AES256_GCM_HKDF_1MB";

    private final KeysetStore store;

    public ArtifactCipher(KeysetStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Wraps {@code ciphertextSink}: plaintext written to the returned stream reaches the sink encrypted. Closing the
     * returned stream writes the final segment and closes the sink; a ciphertext not closed is not decryptable.
     *
     * @param objectKey the object key the ciphertext will be stored under (the associated data)
     * @throws KeyHandlingException if the keyset cannot produce an encrypting stream
     * @throws IOException          if writing the header to the sink fails
     */
    public OutputStream encryptingStream(OutputStream ciphertextSink, String objectKey) throws IOException {
        try {
            return store.keys().streamingAead().newEncryptingStream(ciphertextSink, associatedData(objectKey));
        } catch (GeneralSecurityException e) {
            throw new KeyHandlingException("cannot start encrypting " + objectKey + ": " + e.getMessage(), e);
        }
    }

    /**
     * Wraps {@code ciphertext} read from {@code objectKey}: reading the returned stream yields the verified
     * plaintext, or fails with an {@link IOException} if the ciphertext was altered, truncated, stored under another
     * key, or encrypted with a key this keyset does not hold.
     */
    public InputStream decryptingStream(InputStream ciphertext, String objectKey) throws IOException {
        try {
            return store.keys().streamingAead().newDecryptingStream(ciphertext, associatedData(objectKey));
        } catch (GeneralSecurityException e) {
            throw new KeyHandlingException("cannot start decrypting " + objectKey + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@link #encryptingStream} as a filter of an {@code OutputPipeline}: the bytes written to it leave encrypted
     * for {@code objectKey}. Each use opens a new encrypting stream with the keyset's primary key at that time.
     *
     * @param objectKey the object key the ciphertext will be stored under (the associated data)
     */
    public OutputFilter encryption(String objectKey) {
        associatedData(objectKey); // fail when composing, not when opening
        return ciphertextSink -> encryptingStream(ciphertextSink, objectKey);
    }

    /**
     * {@link #decryptingStream} as a filter of an {@code InputPipeline}: the ciphertext read through it comes out as
     * verified plaintext, or a read fails with an {@link IOException}. Put it behind the pipeline's source (whose
     * failures the pipeline remembers): Tink reports a failing source like a ciphertext that does not
     * authenticate, so ask {@code PipelineInputStream.sourceFailure()} before blaming the ciphertext.
     *
     * @param objectKey the object key the ciphertext was read from (the associated data)
     */
    public InputFilter decryption(String objectKey) {
        associatedData(objectKey);
        return ciphertext -> decryptingStream(ciphertext, objectKey);
    }

    /** {@value #SCHEME}. */
    public String scheme() {
        return SCHEME;
    }

    /** Id of the key that {@link #encryptingStream} encrypts with now (not the key itself). */
    public String keyId() {
        return store.primaryKeyId();
    }

    private static byte[] associatedData(String objectKey) {
        if (objectKey == null || objectKey.isEmpty()) {
            throw new IllegalArgumentException("objectKey is required: it is the associated data of the ciphertext");
        }
        return objectKey.getBytes(StandardCharsets.UTF_8);
    }
}
