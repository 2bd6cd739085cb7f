package io.backbus.notifier.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    @Test
    void isTheHexHmacSha256OfTheBodyPrefixedWithTheAlgorithm() {
        // the RFC 4231-style well-known vector: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog")
        String signature = WebhookSignature.of("key",
                "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }
}
