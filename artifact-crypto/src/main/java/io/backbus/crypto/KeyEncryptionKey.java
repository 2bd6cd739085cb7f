package io.backbus.crypto;

import com.google.crypto.tink.Aead;

/**
 * The key that encrypts the data keyset on disk (key-encryption key, KEK): a local master key file
 * ({@link LocalMasterKey}) or an AWS KMS key ({@link AwsKmsKek}). It only ever wraps and unwraps the keyset; artifacts
 * are encrypted by the data keys inside it, so changing the KEK ({@link KeysetStore#rewrap()}) re-encrypts one small
 * file and no backup.
 */
public interface KeyEncryptionKey {

    /** The AEAD that encrypts and decrypts the serialized keyset. */
    Aead aead();

    /**
     * What this key is, for logs, API answers and error messages: {@code local master key <file>} or the
     * {@code aws-kms://} URI. Never key material.
     */
    String description();
}
