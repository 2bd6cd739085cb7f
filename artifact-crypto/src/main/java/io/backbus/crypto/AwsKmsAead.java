package io.backbus.crypto;

import com.google.crypto.tink.Aead;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptResponse;

/**
 * Tink {@link Aead} whose key never leaves AWS KMS: {@code Encrypt} / {@code Decrypt} of the given key, on AWS SDK
 * v2 (Tink's own {@code tink-awskms} is built on SDK v1, which this project does not otherwise use). The associated
 * data goes into the encryption context as {@code associatedData} = lower-case hex, exactly as Tink's
 * {@code AwsKmsAead} does, so ciphertexts of either implementation decrypt with the other.
 *
 * <p>KMS encrypts at most 4 KiB: use it through {@code KmsEnvelopeAead} ({@link AwsKmsKek} does), which sends KMS only
 * a fresh 32-byte data key per encryption.
 */
final class AwsKmsAead implements Aead {

    private static final String CONTEXT_KEY = "associatedData";

    private final KmsClient kms;
    private final String keyArn;

    AwsKmsAead(KmsClient kms, String keyArn) {
        this.kms = kms;
        this.keyArn = keyArn;
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
        try {
            return kms.encrypt(b -> b.keyId(keyArn).plaintext(SdkBytes.fromByteArray(plaintext))
                    .encryptionContext(context(associatedData))).ciphertextBlob().asByteArray();
        } catch (SdkException e) {
            // SDK messages name the key and the error, never the plaintext
            throw new GeneralSecurityException("AWS KMS Encrypt with " + keyArn + " failed: " + reason(e), e);
        }
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
        DecryptResponse response;
        try {
            response = kms.decrypt(b -> b.keyId(keyArn).ciphertextBlob(SdkBytes.fromByteArray(ciphertext))
                    .encryptionContext(context(associatedData)));
        } catch (SdkException e) {
            throw new GeneralSecurityException("AWS KMS Decrypt with " + keyArn + " failed: " + reason(e), e);
        }
        // an alias resolves to a key ARN, which cannot be compared with it
        if (keyArn.contains(":key/") && !keyArn.equals(response.keyId())) {
            throw new GeneralSecurityException("AWS KMS Decrypt answered for key " + response.keyId() + ", not "
                    + keyArn);
        }
        return response.plaintext().asByteArray();
    }

    /** KMS's error code and message ({@code DisabledException: ... is disabled.}), or the SDK's reason. */
    private static String reason(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage()
                    + " (HTTP " + service.statusCode() + ")";
        }
        return e.getMessage();
    }

    private static Map<String, String> context(byte[] associatedData) {
        return associatedData == null || associatedData.length == 0 ? Map.of()
                : Map.of(CONTEXT_KEY, HexFormat.of().formatHex(associatedData));
    }

    @Override
    public String toString() {
        return "AwsKmsAead[" + keyArn + "]";
    }
}
