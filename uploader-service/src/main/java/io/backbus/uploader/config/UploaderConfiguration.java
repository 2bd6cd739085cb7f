package io.backbus.uploader.config;

import io.backbus.crypto.ArtifactCipher;
import io.backbus.crypto.KeysetStore;
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
 * the artifact keyset. Domain services, adapters and listeners are components wired by their constructors.
 */
@Configuration(proxyBeanMethods = false)
class UploaderConfiguration {

    private static final Logger log = LoggerFactory.getLogger(UploaderConfiguration.class);

    @Bean(destroyMethod = "close")
    S3Client s3Client(S3Properties s3) {
        S3ClientBuilder builder = s3.clientBuilder()
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32))
                // S3Retry retries writes with its own backoff; the SDK adds one quick retry inside each attempt
                // (and retries the calls S3Retry does not wrap), so a part costs at most part-attempts × 2 requests
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(S3Retry.SDK_ATTEMPTS).build()));
        log.info("Object store: {}", s3);
        return builder.build();
    }

    @Bean
    KeysetStore keysetStore(UploaderProperties properties) {
        KeysetStore keys = KeysetStore.openOrCreate(properties.masterKeyFile(), properties.keysetFile());
        log.info("Artifact keyset {} (primary key {}); key-encryption key {}", keys.keysetFile(),
                keys.primaryKeyId(), keys.masterKeyFile());
        return keys;
    }

    @Bean
    ArtifactCipher artifactCipher(KeysetStore keysetStore) {
        return new ArtifactCipher(keysetStore);
    }
}
