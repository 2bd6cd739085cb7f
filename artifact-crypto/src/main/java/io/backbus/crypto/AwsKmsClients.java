package io.backbus.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KmsClient;
import java.security.GeneralSecurityException;

/**
 * Tink's {@link KmsClient} for {@code aws-kms://} key URIs on AWS SDK v2, for code that looks KMS keys up the Tink
 * way ({@code KmsClients.add(new AwsKmsClients(sdk))}). Credentials come with the SDK client passed in.
 */
public final class AwsKmsClients implements KmsClient {

    private final software.amazon.awssdk.services.kms.KmsClient kms;

    public AwsKmsClients(software.amazon.awssdk.services.kms.KmsClient kms) {
        this.kms = kms;
    }

    @Override
    public boolean doesSupport(String keyUri) {
        return keyUri != null && keyUri.startsWith(AwsKmsKek.PREFIX);
    }

    @Override
    public KmsClient withCredentials(String credentialPath) throws GeneralSecurityException {
        throw new GeneralSecurityException("credentials come with the AWS SDK client (default chain or explicit "
                + "provider), not from a file path");
    }

    @Override
    public KmsClient withDefaultCredentials() {
        return this;
    }

    /** The raw KMS AEAD (at most 4 KiB of plaintext; wrap it in {@code KmsEnvelopeAead} for more). */
    @Override
    public Aead getAead(String keyUri) throws GeneralSecurityException {
        try {
            return new AwsKmsAead(kms, AwsKmsKek.arn(keyUri));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }
}
