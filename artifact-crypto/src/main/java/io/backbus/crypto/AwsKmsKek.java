package io.backbus.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.aead.KmsEnvelopeAead;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/**
 * An AWS KMS key as the KEK: the keyset is encrypted by Tink's {@link KmsEnvelopeAead} (a fresh AES256-GCM data key
 * per encryption, itself encrypted by KMS), so the key-encryption key never leaves KMS and the keyset file alone
 * decrypts nothing. Named by Tink's key URI, {@code aws-kms://arn:aws:kms:<region>:<account>:key/<id>} (or
 * {@code :alias/<name>}).
 *
 * <p>Needs {@code software.amazon.awssdk:kms} and {@code apache-client} on the class path (optional dependencies of
 * this library: only the uploader, which may use KMS, declares them).
 */
public final class AwsKmsKek implements KeyEncryptionKey {

    /** Tink's prefix of AWS KMS key URIs. */
    public static final String PREFIX = "aws-kms://";

    private static final Pattern ARN = Pattern.compile(
            "arn:aws[a-z-]*:kms:([a-z0-9-]+):\\d{12}:(key|alias)/[A-Za-z0-9/_+=.@-]+");

    static {
        KeysetStore.registerTink();
    }

    private final String keyUri;
    private final Aead aead;

    private AwsKmsKek(String keyUri, Aead aead) {
        this.keyUri = keyUri;
        this.aead = aead;
    }

    /** The KMS key {@code keyUri} through {@code kms} (whose region must be the key's). */
    public static AwsKmsKek of(String keyUri, KmsClient kms) {
        String arn = arn(keyUri);
        try {
            return new AwsKmsKek(keyUri, KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM,
                    new AwsKmsAead(kms, arn)));
        } catch (GeneralSecurityException e) {
            throw new KeyHandlingException("cannot use " + keyUri + ": " + e.getMessage(), e);
        }
    }

    /**
     * An SDK client for the key's region (taken from its ARN).
     *
     * @param endpoint    endpoint override (a VPC endpoint, or a stand-in in tests); null for AWS's
     * @param credentials null for the SDK's default chain (environment, profile, instance or task role)
     */
    public static KmsClient client(String keyUri, URI endpoint, AwsCredentialsProvider credentials) {
        Matcher arn = ARN.matcher(arn(keyUri));
        if (!arn.matches()) {
            throw new IllegalStateException("unreachable: arn() checked " + keyUri);
        }
        KmsClientBuilder builder = KmsClient.builder()
                .region(Region.of(arn.group(1)))
                .httpClientBuilder(ApacheHttpClient.builder())
                .credentialsProvider(credentials != null ? credentials : DefaultCredentialsProvider.builder().build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    /**
     * The ARN inside a Tink key URI.
     *
     * @throws IllegalArgumentException naming the expected form when {@code keyUri} is none
     */
    public static String arn(String keyUri) {
        if (keyUri == null || !keyUri.startsWith(PREFIX) || !ARN.matcher(keyUri.substring(PREFIX.length()))
                .matches()) {
            throw new IllegalArgumentException("not an AWS KMS key URI: '" + keyUri + "' (expected "
                    + PREFIX + "arn:aws:kms:<region>:<account>:key/<key-id> or ...:alias/<name>)");
        }
        return keyUri.substring(PREFIX.length());
    }

    @Override
    public Aead aead() {
        return aead;
    }

    @Override
    public String description() {
        return keyUri;
    }

    @Override
    public String toString() {
        return "AwsKmsKek[" + keyUri + "]";
    }
}
