package io.backbus.uploader.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.Tier;

class RestorePropertiesTest {

    private static final String KEY = "k".repeat(RestoreProperties.MIN_SIGNING_KEY_LENGTH);

    @Test
    void defaults() {
        RestoreProperties p = new RestoreProperties(null, null, null, null, null, null, null);

        assertThat(p.publicUrl()).isNull();
        assertThat(p.urlSigningKey()).isNull();
        assertThat(p.urlTtl()).isEqualTo(Duration.ofHours(6));
        assertThat(p.thawDays()).isEqualTo(1);
        assertThat(p.thawTier()).isEqualTo("Standard");
        assertThat(p.tier()).isEqualTo(Tier.STANDARD);
        assertThat(p.thawPollInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(p.thawTimeout()).isEqualTo(Duration.ofHours(48));
    }

    @Test
    void publicUrlMustBeHttpAndLosesItsTrailingSlash() {
        assertThat(new RestoreProperties("https://uploader-1:8083/", null, null, null, null, null, null).publicUrl())
                .isEqualTo("https://uploader-1:8083");
        assertThat(new RestoreProperties(" ", null, null, null, null, null, null).publicUrl()).isNull();
        assertThatThrownBy(() -> new RestoreProperties("ftp://x", null, null, null, null, null, null))
                .hasMessageContaining("backbus.uploader.restore.public-url");
        assertThatThrownBy(() -> new RestoreProperties("http://x/?a=b", null, null, null, null, null, null))
                .hasMessageContaining("backbus.uploader.restore.public-url");
    }

    @Test
    void aShortSigningKeyIsRefusedWithoutEchoingIt() {
        String shortKey = "secret-but-short";

        assertThatThrownBy(() -> new RestoreProperties(null, shortKey, null, null, null, null, null))
                .hasMessageContaining("backbus.uploader.restore.url-signing-key")
                .hasMessageContaining("at least 32 characters")
                .hasMessageNotContaining(shortKey);
    }

    @Test
    void toStringNeverShowsTheSigningKey() {
        RestoreProperties p = new RestoreProperties(null, KEY, null, null, null, null, null);

        assertThat(p.urlSigningKey()).isEqualTo(KEY);
        assertThat(p.toString()).doesNotContain(KEY).contains("urlSigningKey=****");
        assertThat(new RestoreProperties(null, null, null, null, null, null, null).toString())
                .contains("urlSigningKey=(generated)");
    }

    @Test
    void thawSettingsAreChecked() {
        assertThat(new RestoreProperties(null, null, null, 7, "bulk", null, null).tier()).isEqualTo(Tier.BULK);
        assertThatThrownBy(() -> new RestoreProperties(null, null, null, 0, null, null, null))
                .hasMessageContaining("backbus.uploader.restore.thaw-days");
        assertThatThrownBy(() -> new RestoreProperties(null, null, null, null, "Fast", null, null))
                .hasMessageContaining("backbus.uploader.restore.thaw-tier")
                .hasMessageContaining("Standard, Bulk or Expedited");
        assertThatThrownBy(() -> new RestoreProperties(null, null, null, null, null, Duration.ZERO, null))
                .hasMessageContaining("backbus.uploader.restore.thaw-poll-interval");
        assertThatThrownBy(() -> new RestoreProperties(null, null, null, null, null, null, Duration.ofHours(-1)))
                .hasMessageContaining("backbus.uploader.restore.thaw-timeout");
        assertThatThrownBy(() -> new RestoreProperties(null, null, Duration.ZERO, null, null, null, null))
                .hasMessageContaining("backbus.uploader.restore.url-ttl");
    }
}
