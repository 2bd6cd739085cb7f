package io.backbus.retention.config;

import io.backbus.delivery.EventCodec;
import io.backbus.repository.S3Properties;
import io.backbus.repository.manifest.BucketManifests;
import io.backbus.retention.domain.BackupCatalog;
import io.backbus.retention.rebuild.CatalogRebuild;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The object store (read only: the catalog rebuild lists and reads manifests) from {@link S3Properties}. The
 * client is created on the first rebuild, so the service starts and serves the catalog without S3.
 */
@Configuration(proxyBeanMethods = false)
class RebuildConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RebuildConfiguration.class);

    @Bean(destroyMethod = "close")
    @Lazy
    S3Client s3Client(S3Properties s3) {
        S3ClientBuilder builder = s3.clientBuilder()
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(4)
                        .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30)))
                // an unreachable store fails a rebuild within a minute, not after minutes of retries
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(60)));
        log.info("Object store: {}", s3);
        return builder.build();
    }

    @Bean
    BucketManifests bucketManifests(ObjectProvider<S3Client> s3Client, S3Properties s3,
            RetentionProperties properties) {
        return new BucketManifests(s3Client::getObject, properties.bucket(),
                s3.endpoint() == null ? null : s3.endpoint().toString(), 1000);
    }

    @Bean
    CatalogRebuild catalogRebuild(BucketManifests manifests, BackupCatalog catalog, EventCodec codec) {
        return new CatalogRebuild(manifests, catalog, codec);
    }
}
