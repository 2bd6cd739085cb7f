package io.backbus.uploader.config;

import io.backbus.crypto.ArtifactCipher;
import io.backbus.crypto.KeysetStore;
import io.backbus.delivery.EventCodec;
import io.backbus.delivery.Outbox;
import io.backbus.uploader.domain.ArtifactTransfer;
import io.backbus.uploader.domain.ArtifactUploadService;
import io.backbus.uploader.storage.ArtifactSource;
import io.backbus.uploader.storage.ObjectStore;
import io.backbus.uploader.storage.ProcessedEvents;
import io.backbus.uploader.storage.UploadRepository;
import java.net.http.HttpClient;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Wires the uploader's adapters and domain from {@link UploaderProperties} and {@link S3Properties}. */
@Configuration(proxyBeanMethods = false)
class UploaderConfiguration {

    private static final Logger log = LoggerFactory.getLogger(UploaderConfiguration.class);

    @Bean(destroyMethod = "close")
    S3Client s3Client(S3Properties s3) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(s3.region()))
                .forcePathStyle(s3.pathStyle())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32));
        if (s3.endpoint() != null) {
            builder.endpointOverride(s3.endpoint());
        }
        builder.credentialsProvider(s3.accessKey() != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()))
                : DefaultCredentialsProvider.builder().build());
        log.info("Object store: {}", s3);
        return builder.build();
    }

    @Bean
    ObjectStore objectStore(S3Client s3Client, UploaderProperties properties) {
        ObjectStore store = new ObjectStore(s3Client, properties.bucket(), (int) properties.partSize().toBytes());
        if (properties.createBucket()) {
            store.ensureBucket();
        }
        return store;
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

    @Bean
    ArtifactSource artifactSource(UploaderProperties properties) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.pullTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        if (properties.fileRoots().isEmpty()) {
            log.warn("backbus.uploader.file-roots is empty: file:// locations may point anywhere this process "
                    + "can read");
        }
        return new ArtifactSource(http, properties.pullAttempts(), properties.pullBackoff(),
                properties.pullTimeout(), properties.fileRoots());
    }

    @Bean
    ArtifactTransfer artifactTransfer(ArtifactSource source, ObjectStore store, ArtifactCipher cipher) {
        return new ArtifactTransfer(source, store, cipher);
    }

    @Bean
    UploadRepository uploadRepository(JdbcClient jdbc) {
        return new UploadRepository(jdbc);
    }

    @Bean
    ProcessedEvents processedEvents(JdbcClient jdbc,
            @Value("${backbus.delivery.consumer-group:${spring.application.name}}") String consumerGroup) {
        return new ProcessedEvents(jdbc, consumerGroup);
    }

    @Bean
    ArtifactUploadService artifactUploadService(ArtifactTransfer transfer, ObjectStore store, ArtifactCipher cipher,
            UploadRepository uploads, Outbox outbox, EventCodec codec, Clock clock) {
        return new ArtifactUploadService(transfer, store, cipher, uploads, outbox, codec, clock);
    }
}
