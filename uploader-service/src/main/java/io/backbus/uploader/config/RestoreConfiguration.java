package io.backbus.uploader.config;

import io.backbus.crypto.KeysetStore;
import io.backbus.crypto.SigningKeyFile;
import io.backbus.crypto.UrlSigner;
import io.backbus.uploader.domain.RestoreLocations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The restore side's beans made from settings (ADR 0006): the URL signer and where restore URLs point. The rest of the
 * restore side are components.
 */
@Configuration(proxyBeanMethods = false)
class RestoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RestoreConfiguration.class);

    /** The generated URL-signing key's file, beside the keyset file. */
    static final String SIGNING_KEY_FILE = ".restore-url-signing-key";

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
}
