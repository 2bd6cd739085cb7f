package io.backbus.uploader.config;

import io.backbus.crypto.AwsKmsKek;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The AWS KMS clients of the key-encryption keys, one per region (a previous key may live in another region than the
 * configured one), made when first needed and closed with the context.
 */
final class KmsConnection implements AutoCloseable {

    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final Map<String, KmsClient> byRegion = new ConcurrentHashMap<>();

    /**
     * @param endpoint    endpoint override, or null for AWS's
     * @param credentials null for the SDK's default chain
     */
    KmsConnection(URI endpoint, AwsCredentialsProvider credentials) {
        this.endpoint = endpoint;
        this.credentials = credentials;
    }

    /** A client for the region of {@code keyUri}. */
    KmsClient clientFor(String keyUri) {
        String region = AwsKmsKek.arn(keyUri).split(":")[3];
        return byRegion.computeIfAbsent(region, r -> AwsKmsKek.client(keyUri, endpoint, credentials));
    }

    @Override
    public void close() {
        byRegion.values().forEach(KmsClient::close);
    }
}
