package io.backbus.uploader.config;

import io.backbus.crypto.AwsKmsKek;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which key encrypts the artifact keyset (the key-encryption key), under {@code backbus.uploader.kek}. Invalid values
 * fail the start with a message naming the property.
 *
 * @param type         {@code local} (default): the master key file {@code backbus.uploader.master-key-file};
 *                     {@code aws-kms}: the AWS KMS key {@code kms-key-uri}, which never leaves KMS
 * @param kmsKeyUri    Tink key URI of the KMS key, {@code aws-kms://arn:aws:kms:<region>:<account>:key/<id>} (or
 *                     {@code :alias/<name>}); required for {@code aws-kms}. The region is the ARN's.
 * @param kmsEndpoint  KMS endpoint override (a VPC endpoint; a stand-in in tests); unset: AWS's for the region
 * @param kmsAccessKey static credentials for KMS; unset (default): the SDK's default chain (environment, instance
 *                     or task role). Set both or neither.
 * @param kmsSecretKey see {@code kmsAccessKey}; never logged
 * @param previous     key-encryption keys being moved away from, tried when the configured one does not decrypt the
 *                     keyset: {@code local} (the master key file) or {@code aws-kms://} URIs. The keyset then works
 *                     as usual until {@code POST /keys/rewrap} encrypts it under the configured one.
 */
@ConfigurationProperties("backbus.uploader.kek")
public record KeyEncryptionProperties(String type, String kmsKeyUri, URI kmsEndpoint, String kmsAccessKey,
        String kmsSecretKey, List<String> previous) {

    public static final String LOCAL = "local";
    public static final String AWS_KMS = "aws-kms";

    public KeyEncryptionProperties {
        type = type == null || type.isBlank() ? LOCAL : type.strip().toLowerCase(Locale.ROOT);
        kmsKeyUri = kmsKeyUri == null || kmsKeyUri.isBlank() ? null : kmsKeyUri.strip();
        previous = previous == null ? List.of() : previous.stream().map(String::strip).filter(s -> !s.isEmpty())
                .toList();
        kmsAccessKey = kmsAccessKey == null || kmsAccessKey.isBlank() ? null : kmsAccessKey;
        kmsSecretKey = kmsSecretKey == null || kmsSecretKey.isBlank() ? null : kmsSecretKey;
        if (!type.equals(LOCAL) && !type.equals(AWS_KMS)) {
            throw new IllegalArgumentException("backbus.uploader.kek.type must be 'local' or 'aws-kms', was '"
                    + type + "'");
        }
        if (type.equals(AWS_KMS)) {
            if (kmsKeyUri == null) {
                throw new IllegalArgumentException("backbus.uploader.kek.kms-key-uri is required when "
                        + "backbus.uploader.kek.type is aws-kms (aws-kms://arn:aws:kms:<region>:<account>:key/<id>)");
            }
            checkKeyUri("backbus.uploader.kek.kms-key-uri", kmsKeyUri);
        }
        for (String p : previous) {
            if (!p.equals(LOCAL)) {
                checkKeyUri("backbus.uploader.kek.previous", p);
            }
        }
        if ((kmsAccessKey == null) != (kmsSecretKey == null)) {
            throw new IllegalArgumentException("backbus.uploader.kek.kms-access-key and kms-secret-key: set both or "
                    + "neither");
        }
        if (kmsEndpoint != null && (kmsEndpoint.getScheme() == null
                || !List.of("http", "https").contains(kmsEndpoint.getScheme()) || kmsEndpoint.getHost() == null)) {
            throw new IllegalArgumentException("backbus.uploader.kek.kms-endpoint must be an http(s) URL, was "
                    + kmsEndpoint);
        }
    }

    private static void checkKeyUri(String property, String uri) {
        try {
            AwsKmsKek.arn(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "KeyEncryptionProperties[type=" + type + ", kmsKeyUri=" + kmsKeyUri + ", kmsEndpoint=" + kmsEndpoint
                + ", staticCredentials=" + (kmsAccessKey != null) + ", previous=" + previous + "]";
    }
}
