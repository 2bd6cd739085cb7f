package io.backbus.uploader.config;

import static io.backbus.settings.DurationSetting.positive;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * Settings of restores, under {@code backbus.uploader.restore}. Invalid values fail the start with a message naming
 * the property; {@link #toString()} never shows the signing key.
 *
 * @param publicUrl        base URL destination agents reach this uploader at, without a trailing slash; null
 *                         (default) means {@code http://127.0.0.1:<server port>}, resolved once the server runs
 * @param urlSigningKey    HMAC key of restore artifact URLs, at least 32 characters; null (default): 32 random
 *                         bytes kept in {@code .restore-url-signing-key} beside the keyset file
 * @param urlTtl           how long a restore artifact URL stays valid (default 6h)
 * @param thawDays         days a thawed cold-tier copy stays readable, RestoreObject's {@code Days} (default 1)
 * @param thawTier         RestoreObject's retrieval tier: Standard (default), Bulk or Expedited
 * @param thawPollInterval how often a pending thaw is checked with HeadObject (default 1m)
 * @param thawTimeout      how long a thaw may take before the restore fails at FETCH (default 48h)
 */
@ConfigurationProperties("backbus.uploader.restore")
public record RestoreProperties(String publicUrl, String urlSigningKey, Duration urlTtl, Integer thawDays,
        String thawTier, Duration thawPollInterval, Duration thawTimeout) {

    private static final String PREFIX = "backbus.uploader.restore.";
    /** 32 characters: as many key bytes as the HMAC-SHA256 output. */
    static final int MIN_SIGNING_KEY_LENGTH = 32;

    public RestoreProperties {
        if (publicUrl != null && !publicUrl.isBlank()) {
            if (!publicUrl.matches("(?i)https?://[^/\\s?#]+(/[^\\s?#]*)?")) {
                throw invalid("public-url", "must be an http(s) URL without query but is '" + publicUrl + "'");
            }
            publicUrl = publicUrl.replaceAll("/+$", "");
        } else {
            publicUrl = null;
        }
        if (urlSigningKey != null && urlSigningKey.isBlank()) {
            urlSigningKey = null;
        }
        if (urlSigningKey != null && urlSigningKey.length() < MIN_SIGNING_KEY_LENGTH) {
            // never echo the key itself
            throw invalid("url-signing-key", "must be at least " + MIN_SIGNING_KEY_LENGTH + " characters");
        }
        urlTtl = positive(PREFIX + "url-ttl", urlTtl, Duration.ofHours(6));
        thawDays = thawDays == null ? 1 : thawDays;
        if (thawDays < 1) {
            throw invalid("thaw-days", "must be at least 1 but is " + thawDays);
        }
        thawTier = tier(thawTier == null || thawTier.isBlank() ? "Standard" : thawTier.strip()).toString();
        thawPollInterval = positive(PREFIX + "thaw-poll-interval", thawPollInterval, Duration.ofMinutes(1));
        thawTimeout = positive(PREFIX + "thaw-timeout", thawTimeout, Duration.ofHours(48));
    }

    /** RestoreObject's retrieval tier. */
    public Tier tier() {
        return tier(thawTier);
    }

    private static Tier tier(String name) {
        for (Tier t : new Tier[] {Tier.STANDARD, Tier.BULK, Tier.EXPEDITED}) {
            if (t.toString().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw invalid("thaw-tier", "must be Standard, Bulk or Expedited but is '" + name + "'");
    }

    private static IllegalArgumentException invalid(String property, String problem) {
        return new IllegalArgumentException(PREFIX + property + " " + problem);
    }

    /** Never shows the signing key. */
    @Override
    public String toString() {
        return "RestoreProperties[publicUrl=" + (publicUrl == null ? "(http://127.0.0.1:<server port>)" : publicUrl)
                + ", urlSigningKey=" + (urlSigningKey == null ? "(generated)" : "****") + ", urlTtl=" + urlTtl
                + ", thawDays=" + thawDays + ", thawTier=" + thawTier + ", thawPollInterval=" + thawPollInterval
                + ", thawTimeout=" + thawTimeout + "]";
    }
}
