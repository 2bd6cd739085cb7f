package io.backbus.uploader.config;

import io.backbus.crypto.ArtifactCipher;
import io.backbus.crypto.AwsKmsKek;
import io.backbus.crypto.KeyEncryptionKey;
import io.backbus.crypto.KeysetStore;
import io.backbus.crypto.LocalMasterKey;
import io.backbus.uploader.storage.ServerSideEncryptionRequests;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import io.backbus.repository.S3Properties;
import io.backbus.uploader.storage.S3Retry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The beans made from settings that are not the uploader's own classes: the S3 client ({@link S3Properties}) and
 * the artifact keyset with its key-encryption key ({@link KeyEncryptionProperties}). Domain services, adapters and listeners are components wired by their constructors.
 */
@Configuration(proxyBeanMethods = false)
class UploaderConfiguration {

    private static final Logger log = LoggerFactory.getLogger(UploaderConfiguration.class);

    @Bean(destroyMethod = "close")
    S3Client s3Client(S3Properties s3, ServerSideEncryptionProperties sse) {
        S3ClientBuilder builder = s3.clientBuilder()
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32))
                // S3Retry retries writes with its own backoff; the SDK adds one quick retry inside each attempt
                // (and retries the calls S3Retry does not wrap), so a part costs at most part-attempts × 2 requests
                .overrideConfiguration(o -> {
                    o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(S3Retry.SDK_ATTEMPTS).build());
                    if (sse.enabled()) {
                        o.addExecutionInterceptor(new ServerSideEncryptionRequests(sse.sse(), sse.sseKmsKeyId()));
                    }
                });
        log.info("Object store: {}; server-side encryption: {}{}", s3, sse.sse(),
                sse.sseKmsKeyId() == null ? "" : " with KMS key " + sse.sseKmsKeyId());
        return builder.build();
    }

    /** The AWS KMS clients of the key-encryption keys (made only when a KMS key is configured or previous). */
    @Bean(destroyMethod = "close")
    KmsConnection kmsConnection(KeyEncryptionProperties kek) {
        AwsCredentialsProvider credentials = kek.kmsAccessKey() == null ? null
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(kek.kmsAccessKey(),
                        kek.kmsSecretKey()));
        return new KmsConnection(kek.kmsEndpoint(), credentials);
    }

    @Bean
    KeysetStore keysetStore(UploaderProperties properties, KeyEncryptionProperties kek, KmsConnection kms) {
        Path keysetFile = properties.keysetFile();
        KeyEncryptionKey current = kek.type().equals(KeyEncryptionProperties.AWS_KMS)
                ? AwsKmsKek.of(kek.kmsKeyUri(), kms.clientFor(kek.kmsKeyUri()))
                : kek.previous().isEmpty() ? KeysetStore.localMasterKeyFor(properties.masterKeyFile(), keysetFile)
                : LocalMasterKey.openOrCreate(properties.masterKeyFile());
        List<KeyEncryptionKey> previous = kek.previous().stream()
                .<KeyEncryptionKey>map(p -> p.equals(KeyEncryptionProperties.LOCAL)
                        ? LocalMasterKey.open(properties.masterKeyFile()) : AwsKmsKek.of(p, kms.clientFor(p)))
                .toList();
        KeysetStore keys = KeysetStore.openOrCreate(current, previous, keysetFile);
        log.info("Artifact keyset {} (primary key {}, {} keys); key-encryption key {}{}", keys.keysetFile(),
                keys.primaryKeyId(), keys.keyIds().size(), current.description(),
                keys.rewrapPending() ? "; the keyset is still encrypted by " + keys.keysetEncryptedBy()
                        + ": POST /keys/rewrap" : "");
        return keys;
    }

    @Bean
    ArtifactCipher artifactCipher(KeysetStore keysetStore) {
        return new ArtifactCipher(keysetStore);
    }
}
