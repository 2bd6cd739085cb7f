package io.backbus.uploader.config;

import io.backbus.crypto.ArtifactCipher;
import io.backbus.crypto.KeysetStore;
import io.backbus.crypto.UrlSigner;
import io.backbus.delivery.EventCodec;
import io.backbus.delivery.Outbox;
import io.backbus.uploader.domain.ColdTierThaws;
import io.backbus.uploader.domain.IntegrityCheck;
import io.backbus.uploader.domain.ManifestCheck;
import io.backbus.uploader.domain.ProgressReports;
import io.backbus.uploader.domain.RestoreDownloads;
import io.backbus.uploader.domain.RestoreLocations;
import io.backbus.uploader.domain.RestoreService;
import io.backbus.uploader.storage.BackupObjects;
import io.backbus.uploader.storage.RestoreArtifactRepository;
import io.backbus.uploader.storage.RestoreThawRepository;
import io.backbus.uploader.storage.S3Retry;
import io.backbus.crypto.SigningKeyFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.s3.S3Client;

/** Wires the restore side (ADR 0006) from {@link RestoreProperties} and {@link UploaderProperties}. */
@Configuration(proxyBeanMethods = false)
class RestoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RestoreConfiguration.class);

    /** The generated URL-signing key's file, beside the keyset file. */
    static final String SIGNING_KEY_FILE = ".restore-url-signing-key";

    @Bean
    BackupObjects backupObjects(S3Client s3Client, UploaderProperties properties) {
        return new BackupObjects(s3Client, new S3Retry(properties.partAttempts(), properties.partBackoff(),
                properties.partBackoffMax()));
    }

    @Bean
    UrlSigner restoreUrlSigner(RestoreProperties restore, KeysetStore keys, Clock clock) {
        byte[] key;
        if (restore.urlSigningKey() != null) {
            key = restore.urlSigningKey().getBytes(StandardCharsets.UTF_8);
        } else {
            Path file = keys.keysetFile().resolveSibling(SIGNING_KEY_FILE);
            key = SigningKeyFile.loadOrCreate(file, "backbus.uploader.restore.url-signing-key");
            log.info("Restore URLs are signed with the key in {}", file);
        }
        return new UrlSigner(key, clock);
    }

    @Bean
    RestoreLocations restoreLocations(RestoreProperties restore, Environment environment, UrlSigner signer) {
        log.info("Restores: {}", restore);
        if (restore.publicUrl() == null) {
            log.warn("backbus.uploader.restore.public-url is not set: restore artifact URLs point at 127.0.0.1 and "
                    + "work only for an agent on this host");
        }
        if (restore.urlTtl().compareTo(Duration.ofDays(restore.thawDays())) > 0) {
            log.warn("backbus.uploader.restore.url-ttl ({}) outlasts the thawed copy of a cold-tier backup "
                    + "(thaw-days {}): such URLs stop working early", restore.urlTtl(), restore.thawDays());
        }
        // resolved at use: with server.port=0 the real port is known only once the web server runs
        return new RestoreLocations(() -> restore.publicUrl() != null ? restore.publicUrl()
                : "http://127.0.0.1:" + environment.getProperty("local.server.port",
                        environment.getProperty("server.port", "8083")), signer);
    }

    @Bean
    ManifestCheck manifestCheck(BackupObjects objects) {
        return new ManifestCheck(objects);
    }

    @Bean
    IntegrityCheck integrityCheck(BackupObjects objects, ArtifactCipher cipher, ProgressReports progress) {
        return new IntegrityCheck(objects, cipher, progress);
    }

    @Bean
    RestoreArtifactRepository restoreArtifactRepository(JdbcClient jdbc) {
        return new RestoreArtifactRepository(jdbc);
    }

    @Bean
    RestoreThawRepository restoreThawRepository(JdbcClient jdbc, EventCodec codec) {
        return new RestoreThawRepository(jdbc, codec);
    }

    @Bean
    RestoreService restoreService(BackupObjects objects, ManifestCheck manifests, IntegrityCheck integrity,
            RestoreLocations locations, RestoreArtifactRepository artifacts, RestoreThawRepository thaws,
            Outbox outbox, Clock clock, RestoreProperties restore) {
        return new RestoreService(objects, manifests, integrity, locations, artifacts, thaws, outbox, clock,
                restore.urlTtl(), new RestoreService.ThawSettings(restore.thawDays(), restore.tier(),
                        restore.thawPollInterval(), restore.thawTimeout()));
    }

    @Bean
    ColdTierThaws coldTierThaws(RestoreThawRepository thaws, RestoreService restores,
            PlatformTransactionManager transactionManager, Clock clock) {
        return new ColdTierThaws(thaws, restores, new TransactionTemplate(transactionManager), clock);
    }

    @Bean
    ThawPollingSchedule thawPollingSchedule(ColdTierThaws thaws, RestoreArtifactRepository artifacts, Clock clock,
            RestoreProperties restore) {
        return new ThawPollingSchedule(thaws, artifacts, clock, restore.thawPollInterval());
    }

    @Bean
    RestoreDownloads restoreDownloads(RestoreArtifactRepository artifacts, BackupObjects objects,
            ArtifactCipher cipher) {
        return new RestoreDownloads(artifacts, objects, cipher);
    }
}
