package io.backbus.uploader.config;

import io.backbus.crypto.ArtifactCipher;
import io.backbus.crypto.KeysetStore;
import io.backbus.delivery.EventCodec;
import io.backbus.delivery.Outbox;
import io.backbus.delivery.TelemetryPublisher;
import io.backbus.uploader.domain.ArtifactTransfer;
import io.backbus.uploader.domain.ArtifactUploadService;
import io.backbus.uploader.domain.StreamedUploads;
import io.backbus.uploader.domain.UploadMetrics;
import io.backbus.uploader.domain.ProgressReports;
import io.backbus.uploader.storage.ArtifactSource;
import io.backbus.uploader.storage.ObjectStore;
import io.backbus.uploader.storage.S3Retry;
import io.backbus.uploader.storage.StreamedUploadRepository;
import io.backbus.uploader.storage.UploadRepository;
import java.net.http.HttpClient;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import io.backbus.objectstore.S3Properties;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Wires the uploader's adapters and domain from {@link UploaderProperties} and {@link S3Properties}. */
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
    UploadMetrics uploadMetrics(MeterRegistry registry) {
        return new UploadMetrics(registry);
    }

    @Bean
    ObjectStore objectStore(S3Client s3Client, UploaderProperties properties, UploadMetrics metrics) {
        ObjectStore store = new ObjectStore(s3Client, properties.bucket(), (int) properties.partSize().toBytes(),
                properties.uploadParallelism(), new S3Retry(properties.partAttempts(), properties.partBackoff(),
                        properties.partBackoffMax()), metrics::uploaded);
        log.info("Uploads: {} parts of {} in flight, at most {} MiB of part buffers per upload",
                properties.uploadParallelism(), properties.partSize(),
                properties.uploadMemoryBound() / (1024 * 1024));
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
        if (!properties.fileRoots().isEmpty()) {
            log.info("file:// artifact locations allowed below {}", properties.fileRoots());
        }
        return new ArtifactSource(http, properties.pullAttempts(), properties.pullBackoff(),
                properties.pullTimeout(), properties.pullIdleTimeout(), properties.fileRoots());
    }

    @Bean
    ProgressReports progressReports(TelemetryPublisher telemetry, Clock clock, UploaderProperties properties) {
        return new ProgressReports(telemetry, clock, properties.progressInterval());
    }

    @Bean
    ArtifactTransfer artifactTransfer(ArtifactSource source, ObjectStore store, ArtifactCipher cipher,
            ProgressReports progress, UploadMetrics metrics) {
        return new ArtifactTransfer(source, store, cipher, progress, metrics);
    }

    @Bean
    UploadRepository uploadRepository(JdbcClient jdbc) {
        return new UploadRepository(jdbc);
    }

    @Bean
    StreamedUploadRepository streamedUploadRepository(JdbcClient jdbc) {
        return new StreamedUploadRepository(jdbc);
    }

    @Bean(destroyMethod = "close")
    StreamedUploads streamedUploads(UploaderProperties properties, ArtifactTransfer transfer, ObjectStore store,
            UploadRepository uploads, StreamedUploadRepository streams, Clock clock) {
        log.info("Streamed uploads (ArtifactStreaming): {}, ArtifactReady waits for them at most {}",
                properties.streaming() ? "on" : "off, hints ignored", properties.streamingWait());
        return new StreamedUploads(properties.streaming(), properties.streamingWait(), transfer, store, uploads,
                streams, clock);
    }

    @Bean
    ArtifactUploadService artifactUploadService(ArtifactTransfer transfer, ObjectStore store, ArtifactCipher cipher,
            UploadRepository uploads, Outbox outbox, EventCodec codec, Clock clock, UploadMetrics metrics,
            StreamedUploads streamed) {
        return new ArtifactUploadService(transfer, store, cipher, uploads, outbox, codec, clock, metrics, streamed);
    }
}
