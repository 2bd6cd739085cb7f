package io.backbus.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class S3PropertiesTest {

    @Test
    void defaultsToUsEast1VirtualHostStyleAndTheDefaultCredentialsChain() {
        S3Properties s3 = new S3Properties(null, " ", "", null, null);
        assertThat(s3.region()).isEqualTo("us-east-1");
        assertThat(s3.pathStyle()).isFalse();
        assertThat(s3.accessKey()).isNull();
        assertThat(s3.toString()).contains("<default chain>");
    }

    @Test
    void keysComeInPairsAndTheSecretIsNeverPrinted() {
        assertThatThrownBy(() -> new S3Properties(null, null, "AKIA", null, null))
                .hasMessageContaining("backbus.s3.access-key and backbus.s3.secret-key");
        S3Properties s3 = new S3Properties(URI.create("http://127.0.0.1:9090"), "eu-west-1", "AKIA", "s3cr3t", true);
        assertThat(s3.toString()).doesNotContain("s3cr3t").contains("AKIA");
    }

    @Test
    void endpointMustBeAbsolute() {
        assertThatThrownBy(() -> new S3Properties(URI.create("localhost"), null, null, null, null))
                .hasMessageContaining("backbus.s3.endpoint must be an absolute URL");
    }

    @Test
    void theClientBuilderUsesTheEndpointAndPathStyle() {
        S3Properties s3 = new S3Properties(URI.create("http://127.0.0.1:9090"), null, "a", "b", true);
        try (var client = s3.clientBuilder().build()) {
            assertThat(client.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:9090"));
            assertThat(client.serviceClientConfiguration().region().id()).isEqualTo("us-east-1");
        }
    }
}
