package io.backbus.uploader.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyEncryptionPropertiesTest {

    private static final String KEY = "aws-kms://arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @Test
    void defaultsToTheLocalMasterKey() {
        KeyEncryptionProperties p = new KeyEncryptionProperties(null, null, null, null, null, null);

        assertThat(p.type()).isEqualTo("local");
        assertThat(p.previous()).isEmpty();
    }

    @Test
    void awsKmsNeedsAKeyUriOfTheAwsForm() {
        assertThatThrownBy(() -> new KeyEncryptionProperties("aws-kms", null, null, null, null, null))
                .hasMessageContaining("backbus.uploader.kek.kms-key-uri is required");
        assertThatThrownBy(() -> new KeyEncryptionProperties("aws-kms", "arn:aws:kms:x", null, null, null, null))
                .hasMessageStartingWith("backbus.uploader.kek.kms-key-uri: not an AWS KMS key URI: 'arn:aws:kms:x'");
        KeyEncryptionProperties p = new KeyEncryptionProperties("AWS-KMS", KEY, URI.create("http://127.0.0.1:4566"),
                null, null, List.of("local"));
        assertThat(p.type()).isEqualTo("aws-kms");
        assertThat(p.previous()).containsExactly("local");
    }

    @Test
    void refusesAnUnknownTypeHalfCredentialsABadPreviousAndAnEndpointThatIsNoUrl() {
        assertThatThrownBy(() -> new KeyEncryptionProperties("vault", null, null, null, null, null))
                .hasMessage("backbus.uploader.kek.type must be 'local' or 'aws-kms', was 'vault'");
        assertThatThrownBy(() -> new KeyEncryptionProperties("aws-kms", KEY, null, "AKIA", null, null))
                .hasMessageContaining("kms-access-key and kms-secret-key: set both or neither");
        assertThatThrownBy(() -> new KeyEncryptionProperties("local", null, null, null, null, List.of("gcp-kms://x")))
                .hasMessageStartingWith("backbus.uploader.kek.previous: not an AWS KMS key URI");
        assertThatThrownBy(() -> new KeyEncryptionProperties("aws-kms", KEY, URI.create("kms.local"), null, null,
                null)).hasMessageContaining("kms-endpoint must be an http(s) URL");
    }

    @Test
    void toStringHidesTheSecretKey() {
        assertThat(new KeyEncryptionProperties("aws-kms", KEY, null, "AKIAEXAMPLE", "s3cr3t-kms-key", null).toString())
                .doesNotContain("s3cr3t-kms-key").doesNotContain("AKIAEXAMPLE").contains("staticCredentials=true");
    }

    @Test
    void serverSideEncryptionIsNoneAwsKmsOrAes256AndAKeyIdOnlyWithAwsKms() {
        assertThat(new ServerSideEncryptionProperties(null, null).enabled()).isFalse();
        assertThat(new ServerSideEncryptionProperties("AWS:KMS", "alias/backups").sse()).isEqualTo("aws:kms");
        assertThat(new ServerSideEncryptionProperties("aes256", null).sse()).isEqualTo("AES256");
        assertThatThrownBy(() -> new ServerSideEncryptionProperties("kms", null))
                .hasMessage("backbus.uploader.s3.sse must be none, aws:kms or AES256, was 'kms'");
        assertThatThrownBy(() -> new ServerSideEncryptionProperties("AES256", "alias/backups"))
                .hasMessageContaining("sse-kms-key-id is set but backbus.uploader.s3.sse is AES256");
    }
}
